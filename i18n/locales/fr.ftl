# Les mots que lit le destinataire (voir en.ftl).

## Le document
doc-invoice = Facture
doc-number = Numéro
doc-issued = Date d’émission
doc-due = Échéance
doc-po = Bon de commande
doc-bill-to = Facturer à
doc-tax-id = Identifiant fiscal { $id }
doc-vat-id = N° TVA { $id }
doc-description = Désignation
doc-quantity = Qté
doc-unit-price = Prix unitaire
doc-unit-price-gross = Prix unitaire TTC
doc-discount = Remise
doc-discount-percent = Remise { $percent }
doc-vat = TVA
doc-amount = Montant
doc-amount-net = Montant HT
doc-subtotal = Total HT
doc-tax-on = { $label } sur { $amount }
doc-rounding = Arrondi
doc-total = Total TTC
doc-paid = Payé
doc-balance-due = Reste à payer
doc-vat-breakdown = Récapitulatif TVA
doc-net = HT
doc-gross = TTC
doc-terms = Conditions
doc-payment-details = Coordonnées de paiement
doc-page = Page { $page } sur { $pages }
doc-vat-rate = TVA { $rate }

## Coordonnées de paiement
pay-bank = Banque
pay-account-name = Titulaire du compte
pay-account-number = Numéro de compte
pay-routing-number = Code banque
pay-iban = IBAN
pay-swift = BIC

## Catégories de TVA et textes par défaut
vat-category-standard = Taux normal
vat-category-zero_rated = Taux zéro (0 %)
vat-category-exempt = Exonéré de TVA
vat-category-reverse_charge = Autoliquidation
vat-category-intra_community = Livraison intracommunautaire
vat-category-export = Exportation
vat-category-outside_scope = Hors champ de la TVA
vat-reason-reverse_charge = Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE)
vat-reason-intra_community = Exonération de TVA, livraison intracommunautaire (article 138 de la directive 2006/112/CE)
vat-reason-export = Exonération de TVA, exportation hors UE (article 146 de la directive 2006/112/CE)
vat-reason-outside_scope = Hors champ d’application de la TVA

## Courriels au destinataire
mail-footer = Une question sur cette facture ? Répondez à ce courriel pour joindre { $sender }.
mail-sent-subject = Facture { $number } de { $sender } ({ $total })
mail-sent-heading = Facture { $number } de { $sender }
mail-sent-amount = Montant : { $total }
mail-sent-due = Échéance : { $date }
mail-sent-due-short = Échéance le { $date }
mail-sent-link-text = Voir la facture en ligne (télécharger le PDF, demander des modifications, l’approuver ou la transmettre à votre comptabilité ; sans compte) :
mail-sent-link-html = Consultez la facture en ligne : vous pouvez la télécharger en PDF, demander des modifications, l’approuver ou la transmettre à votre comptabilité. Aucun compte n’est nécessaire.
mail-sent-button = Voir la facture { $number }
mail-or-open = Ou ouvrez :
mail-updated-subject = La facture { $number } de { $sender } a été modifiée
mail-updated-heading = La facture { $number } a été modifiée
mail-updated-body = { $sender } a modifié la facture { $number }. Elle s’élève désormais à { $total }, échéance le { $date }.
mail-updated-next = Ouvrez-la pour voir précisément ce qui a changé, puis approuvez-la ou demandez d’autres modifications.
mail-updated-button = Voir les modifications
mail-paid-subject = Reçu : la facture { $number } de { $sender } est payée
mail-paid-heading = La facture { $number } est payée
mail-paid-body = { $sender } a enregistré votre paiement de { $total } pour la facture { $number }. Merci !
mail-view-invoice = Voir la facture
mail-receipt-subject = Reçu : { $amount } payé sur la facture { $number } de { $sender }
mail-receipt-heading = Paiement reçu : { $amount }
mail-receipt-body = { $sender } a reçu votre paiement de { $amount } pour la facture { $number } le { $date } ({ $method }).
mail-receipt-settled = La facture { $number } ({ $total }) est désormais entièrement payée. Merci !
mail-receipt-balance = Reste dû sur la facture { $number } : { $balance } sur { $total }, échéance le { $date }.
mail-forwarded-subject = La facture { $number } de { $sender } vous a été transmise
mail-forwarded-heading = Facture { $number } de { $sender }
mail-forwarded-body = Cette facture ({ $total }, échéance le { $date }) vous a été transmise.

## Moyens de paiement
method-card = Carte (Stripe)
method-bank_transfer = Virement bancaire
method-cash = Espèces
method-other = Autre
