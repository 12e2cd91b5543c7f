# Die Wörter, die Empfänger lesen (siehe en.ftl).

## Das Dokument
doc-invoice = Rechnung
doc-number = Nummer
doc-issued = Rechnungsdatum
doc-due = Fällig am
doc-po = Bestellnr.
doc-bill-to = Rechnung an
doc-tax-id = Steuernummer { $id }
doc-vat-id = USt-IdNr. { $id }
doc-description = Beschreibung
doc-quantity = Menge
doc-unit-price = Einzelpreis
doc-unit-price-gross = Einzelpreis inkl. USt
doc-discount = Rabatt
doc-discount-percent = Rabatt { $percent }
doc-vat = USt
doc-amount = Betrag
doc-amount-net = Betrag (netto)
doc-subtotal = Zwischensumme
doc-tax-on = { $label } auf { $amount }
doc-rounding = Rundung
doc-total = Gesamtbetrag
doc-paid = Bezahlt
doc-balance-due = Offener Betrag
doc-vat-breakdown = Umsatzsteuer
doc-net = Netto
doc-gross = Brutto
doc-terms = Bedingungen
doc-payment-details = Zahlungsinformationen
doc-page = Seite { $page } von { $pages }
doc-vat-rate = USt { $rate }

## Zahlungsinformationen
pay-bank = Bank
pay-account-name = Kontoinhaber
pay-account-number = Kontonummer
pay-routing-number = Bankleitzahl
pay-iban = IBAN
pay-swift = BIC

## Steuerkategorien und Standardtexte
vat-category-standard = Regelsteuersatz
vat-category-zero_rated = Nullsatz (0 %)
vat-category-exempt = Steuerfrei
vat-category-reverse_charge = Steuerschuldnerschaft des Leistungsempfängers
vat-category-intra_community = Innergemeinschaftliche Lieferung
vat-category-export = Ausfuhrlieferung
vat-category-outside_scope = Nicht steuerbar
vat-reason-reverse_charge = Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge, Art. 196 MwStSystRL)
vat-reason-intra_community = Steuerfreie innergemeinschaftliche Lieferung (Art. 138 MwStSystRL)
vat-reason-export = Steuerfreie Ausfuhrlieferung (Art. 146 MwStSystRL)
vat-reason-outside_scope = Nicht steuerbarer Umsatz

## Mails an Empfänger
mail-footer = Fragen zu dieser Rechnung? Antworten Sie auf diese E-Mail, um { $sender } zu erreichen.
mail-sent-subject = Rechnung { $number } von { $sender } ({ $total })
mail-sent-heading = Rechnung { $number } von { $sender }
mail-sent-amount = Betrag: { $total }
mail-sent-due = Fällig am: { $date }
mail-sent-due-short = Fällig am { $date }
mail-sent-link-text = Die Rechnung online ansehen (PDF herunterladen, Änderungen erbitten, freigeben oder an die Buchhaltung weiterleiten; ohne Konto):
mail-sent-link-html = Sehen Sie die Rechnung online an: Sie können sie als PDF herunterladen, Änderungen erbitten, sie freigeben oder an Ihre Buchhaltung weiterleiten. Ein Konto ist nicht nötig.
mail-sent-button = Rechnung { $number } ansehen
mail-or-open = Oder öffnen Sie:
mail-updated-subject = Rechnung { $number } von { $sender } wurde geändert
mail-updated-heading = Rechnung { $number } wurde geändert
mail-updated-body = { $sender } hat die Rechnung { $number } geändert. Sie beläuft sich jetzt auf { $total }, fällig am { $date }.
mail-updated-next = Öffnen Sie sie, um genau zu sehen, was sich geändert hat, und geben Sie sie frei oder erbitten Sie weitere Änderungen.
mail-updated-button = Änderungen ansehen
mail-paid-subject = Quittung: Rechnung { $number } von { $sender } ist bezahlt
mail-paid-heading = Rechnung { $number } ist bezahlt
mail-paid-body = { $sender } hat Ihre Zahlung von { $total } für die Rechnung { $number } verbucht. Vielen Dank!
mail-view-invoice = Rechnung ansehen
mail-receipt-subject = Quittung: { $amount } auf Rechnung { $number } von { $sender } bezahlt
mail-receipt-heading = Zahlung erhalten: { $amount }
mail-receipt-body = { $sender } hat Ihre Zahlung von { $amount } für die Rechnung { $number } am { $date } erhalten ({ $method }).
mail-receipt-settled = Die Rechnung { $number } ({ $total }) ist jetzt vollständig bezahlt. Vielen Dank!
mail-receipt-balance = Offener Betrag der Rechnung { $number }: { $balance } von { $total }, fällig am { $date }.
mail-forwarded-subject = Rechnung { $number } von { $sender } wurde an Sie weitergeleitet
mail-forwarded-heading = Rechnung { $number } von { $sender }
mail-forwarded-body = Diese Rechnung ({ $total }, fällig am { $date }) wurde an Sie weitergeleitet.

## Zahlungsarten
method-card = Karte (Stripe)
method-bank_transfer = Überweisung
method-cash = Bar
method-other = Sonstige
