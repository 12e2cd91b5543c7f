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
doc-pay-by-bank = Scannez avec votre application bancaire pour payer par virement
doc-page = Page { $page } sur { $pages }
doc-vat-rate = TVA { $rate }
doc-credit-note = Avoir
doc-cancellation = Avoir d'annulation
doc-corrects = Rectifie la facture { $number } du { $date }
doc-reason = Motif : { $reason }
doc-credited = Avoirs
doc-refund-due = À rembourser
credit-reason-cancelled = Annulation de la facture { $number }

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
mail-credit-subject = Avoir { $credit } sur la facture { $number } de { $sender }
mail-credit-heading = Avoir { $credit } : { $amount }
mail-credit-body = { $sender } a émis l'avoir { $credit } sur la facture { $number }, d'un montant de { $amount }. Il est joint en PDF.
mail-cancel-subject = La facture { $number } de { $sender } a été annulée
mail-cancel-heading = La facture { $number } a été annulée
mail-cancel-body = { $sender } a annulé la facture { $number } par l'avoir { $credit } ({ $amount }). Il est joint en PDF.
mail-credit-balance = Reste dû sur la facture { $number } : { $balance }.
mail-credit-refund = { $sender } vous remboursera { $refund }.
mail-credit-nothing-due = Plus rien n'est dû sur la facture { $number }.

## Moyens de paiement
method-card = Carte (Stripe)
method-bank_transfer = Virement bancaire
method-cash = Espèces
method-other = Autre

## La page partagée
share-title = Facture { $number } de { $sender }
share-heading = Facture { $number }
share-summary = De { $sender } · { $total } à régler le { $date }
share-download-pdf = Télécharger le PDF
share-download-e-invoice = Télécharger la facture électronique
share-credit-notes = Avoirs
share-credit-note-line = { $credit } du { $date } : { $amount } ({ $reason })
share-download-credit-note = Télécharger { $credit } (PDF)
share-download-credit-note-e-invoice = Sa facture électronique
share-done-changes = Votre demande a été envoyée. Vous recevrez un courriel quand la facture sera mise à jour.
share-done-approved = Merci : la facture est approuvée.
share-done-forwarded = La facture a été transmise.
share-banner-paid = Payée — merci.
share-banner-cancelled = Cette facture a été annulée ; rien n’est dû.
share-banner-change-requested = Des modifications ont été demandées ; l’émetteur va mettre la facture à jour.
share-approved-by-on = Approuvée par { $name } le { $date }
share-approved-by = Approuvée par { $name }
share-pay = Payer { $amount }
share-pay-note = Paiement par carte sur la page sécurisée de Stripe.
share-paying = Paiement
share-pay-by-transfer = Payez par virement avec les coordonnées figurant sur la facture.
share-approve = Approuver
share-your-name = Votre nom
share-po-number = Numéro de bon de commande
share-approve-button = Approuver la facture
share-request-changes = Demander des modifications
share-what-should-change = Que faut-il modifier ?
share-send-request = Envoyer la demande
share-forward = Transmettre
share-forward-link-intro = Pour transmettre cette facture, envoyez son lien :
share-link-label = Lien vers cette facture
share-forward-intro = Envoyez cette facture à un collègue, par exemple à la comptabilité fournisseurs.
share-email = Adresse e-mail
share-note = Note (facultatif)
share-forward-button = Transmettre la facture
share-changes-label = Ce qui a changé
share-changes-heading = Ce qui a changé depuis votre dernière visite
share-removed = Supprimé : { $line } ({ $amount })
share-added = Ajouté : { $line } ({ $amount })
share-changed = Modifié : { $line } ({ $before } → { $after })
share-also-changed = Également modifié : { $fields }
share-total-change = Total : { $before } → { $after }
share-paid-received = Paiement reçu — merci. Un reçu est en route vers votre boîte de réception.
share-paid-processing = Votre paiement est en cours. Cette page l’affichera comme payé dès que Stripe l’aura confirmé.
share-paid-mismatch = Stripe a encaissé un paiement qui ne correspond pas à cette facture. L’émetteur est prévenu et réglera cela avec vous : merci de ne pas payer une seconde fois.
share-paid-expired = La page de paiement a expiré et rien n’a été débité : payez à nouveau ci-dessous.
share-paid-unconfirmed = Nous n’avons pas encore pu confirmer votre paiement : rechargez cette page dans une minute.
share-paid-cancelled = Paiement annulé : rien n’a été débité.
share-paid-not-online = Ce montant ne peut pas être payé par carte : payez avec les coordonnées figurant sur la facture.
share-paid-nothing-due = Rien n’est dû sur cette facture pour le moment.
share-paid-unavailable = Le paiement en ligne est momentanément indisponible. Réessayez dans une minute ou payez avec les coordonnées figurant sur la facture.
share-error-message = Indiquez ce qui doit changer (5 000 caractères au plus).
share-error-name = Saisissez votre nom pour approuver (200 caractères au plus).
share-error-po-number = Votre numéro de bon de commande est requis pour approuver (100 caractères au plus).
share-error-email = Indiquez une adresse e-mail valide à laquelle transférer la facture.
share-error-note = La note ne peut dépasser 2 000 caractères.
share-error-no-mail = Cette facture a été créée sans compte, nous n’envoyons donc aucun e-mail pour elle : copiez son lien et envoyez-le vous-même.
share-error-too-many = Trop de tentatives : veuillez patienter un peu et réessayer.
share-error-state = Cette facture a changé depuis que vous l’avez ouverte : rechargez la page.
share-error-other = Un problème est survenu de notre côté : veuillez réessayer dans une minute.
status-draft = brouillon
status-sent = envoyée
status-viewed = consultée
status-change_requested = modification demandée
status-updated = mise à jour
status-approved = approuvée
status-paid = payée
status-cancelled = annulée

# Relances de paiement
reminder-upcoming-subject = La facture { $number } arrive à échéance le { $due_date }
reminder-upcoming-body = Bonjour,

    nous vous rappelons que la facture { $number } de { $sender } d'un montant de { $amount } arrive à échéance dans { $days } jours, le { $due_date }.

    Si vous avez déjà réglé, merci, et veuillez ignorer ce message.
reminder-due-subject = La facture { $number } arrive à échéance aujourd'hui
reminder-due-body = Bonjour,

    la facture { $number } de { $sender } d'un montant de { $amount } arrive à échéance aujourd'hui.

    Si vous avez déjà réglé, merci, et veuillez ignorer ce message.
reminder-overdue-subject = Relance : la facture { $number } est en retard de paiement
reminder-overdue-body = Bonjour,

    sauf erreur de notre part, la facture { $number } d'un montant de { $amount } reste impayée ; elle était due le { $due_date }, il y a { $days } jours.

    Merci de procéder au règlement dans les meilleurs délais. Si vous avez déjà réglé, merci, et veuillez ignorer ce message.
reminder-final-subject = Dernière relance : la facture { $number } est en retard de { $days } jours
reminder-final-body = Bonjour,

    la facture { $number } d'un montant de { $amount } était due le { $due_date } et reste impayée { $days } jours plus tard.

    Merci de la régler dès maintenant, ou de nous indiquer quand vous le ferez. Si vous avez déjà réglé, merci, et veuillez ignorer ce message.
mail-reminder-amount = Montant dû
mail-reminder-pay = Payer maintenant
mail-reminder-qr = Payer par virement : scannez ce code avec votre application bancaire.
