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
doc-pay-by-bank = Mit der Banking-App scannen und überweisen (GiroCode)
doc-page = Seite { $page } von { $pages }
doc-vat-rate = USt { $rate }
doc-credit-note = Rechnungskorrektur
doc-cancellation = Stornorechnung
doc-corrects = Korrigiert die Rechnung { $number } vom { $date }
doc-reason = Grund: { $reason }
doc-credited = Gutgeschrieben
doc-refund-due = Zu erstatten
credit-reason-cancelled = Stornierung der Rechnung { $number }

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
mail-credit-subject = Rechnungskorrektur { $credit } zur Rechnung { $number } von { $sender }
mail-credit-heading = Rechnungskorrektur { $credit }: { $amount }
mail-credit-body = { $sender } hat zur Rechnung { $number } die Rechnungskorrektur { $credit } über { $amount } ausgestellt. Sie liegt als PDF bei.
mail-cancel-subject = Rechnung { $number } von { $sender } wurde storniert
mail-cancel-heading = Rechnung { $number } wurde storniert
mail-cancel-body = { $sender } hat die Rechnung { $number } mit der Stornorechnung { $credit } ({ $amount }) storniert. Sie liegt als PDF bei.
mail-credit-balance = Noch offen auf Rechnung { $number }: { $balance }.
mail-credit-refund = { $sender } erstattet Ihnen { $refund }.
mail-credit-nothing-due = Auf die Rechnung { $number } ist nichts mehr zu zahlen.

## Zahlungsarten
method-card = Karte (Stripe)
method-bank_transfer = Überweisung
method-cash = Bar
method-other = Sonstige

## Die Freigabeseite
share-title = Rechnung { $number } von { $sender }
share-heading = Rechnung { $number }
share-summary = Von { $sender } · { $total } fällig am { $date }
share-download-pdf = PDF herunterladen
share-download-e-invoice = E-Rechnung herunterladen
share-credit-notes = Rechnungskorrekturen
share-credit-note-line = { $credit } vom { $date }: { $amount } ({ $reason })
share-download-credit-note = { $credit } herunterladen (PDF)
share-download-credit-note-e-invoice = Ihre E-Rechnung
share-done-changes = Ihre Anfrage wurde gesendet. Sie erhalten eine E-Mail, sobald die Rechnung geändert ist.
share-done-approved = Vielen Dank: Die Rechnung ist freigegeben.
share-done-forwarded = Die Rechnung wurde weitergeleitet.
share-banner-paid = Bezahlt – vielen Dank.
share-banner-cancelled = Diese Rechnung wurde storniert; es ist nichts zu zahlen.
share-banner-change-requested = Änderungen wurden erbeten; der Absender ändert die Rechnung.
share-approved-by-on = Freigegeben von { $name } am { $date }
share-approved-by = Freigegeben von { $name }
share-pay = { $amount } bezahlen
share-pay-note = Kartenzahlung auf der sicheren Seite von Stripe.
share-paying = Bezahlen
share-pay-by-transfer = Bezahlen Sie per Überweisung mit den Angaben auf der Rechnung.
share-approve = Freigeben
share-your-name = Ihr Name
share-po-number = Bestellnummer
share-approve-button = Rechnung freigeben
share-request-changes = Änderungen erbitten
share-what-should-change = Was soll sich ändern?
share-send-request = Anfrage senden
share-forward = Weiterleiten
share-forward-link-intro = Um diese Rechnung weiterzugeben, senden Sie ihren Link:
share-link-label = Link zu dieser Rechnung
share-forward-intro = Senden Sie diese Rechnung an eine Kollegin oder einen Kollegen, z. B. an die Kreditorenbuchhaltung.
share-email = E-Mail-Adresse
share-note = Notiz (optional)
share-forward-button = Rechnung weiterleiten
share-changes-label = Was sich geändert hat
share-changes-heading = Was sich seit Ihrem letzten Besuch geändert hat
share-removed = Entfernt: { $line } ({ $amount })
share-added = Hinzugefügt: { $line } ({ $amount })
share-changed = Geändert: { $line } ({ $before } → { $after })
share-also-changed = Außerdem geändert: { $fields }
share-total-change = Gesamt: { $before } → { $after }
share-paid-received = Zahlung erhalten – vielen Dank. Eine Quittung ist unterwegs in Ihr Postfach.
share-paid-processing = Ihre Zahlung wird bearbeitet. Diese Seite zeigt sie als bezahlt, sobald Stripe sie bestätigt.
share-paid-mismatch = Stripe hat eine Zahlung angenommen, die nicht zu dieser Rechnung passt. Der Absender ist informiert und klärt das mit Ihnen: Bitte zahlen Sie nicht noch einmal.
share-paid-expired = Die Zahlungsseite ist abgelaufen, es wurde nichts abgebucht: Zahlen Sie unten erneut.
share-paid-unconfirmed = Wir konnten Ihre Zahlung noch nicht bestätigen: Laden Sie die Seite in einer Minute neu.
share-paid-cancelled = Zahlung abgebrochen: Es wurde nichts abgebucht.
share-paid-not-online = Dieser Betrag kann nicht per Karte bezahlt werden: Bitte zahlen Sie mit den Angaben auf der Rechnung.
share-paid-nothing-due = Auf diese Rechnung ist derzeit nichts zu zahlen.
share-paid-unavailable = Online-Zahlung ist gerade nicht möglich. Versuchen Sie es in einer Minute erneut oder zahlen Sie mit den Angaben auf der Rechnung.
share-error-message = Schreiben Sie, was sich ändern soll (höchstens 5.000 Zeichen).
share-error-name = Geben Sie zur Freigabe Ihren Namen ein (höchstens 200 Zeichen).
share-error-po-number = Zur Freigabe ist Ihre Bestellnummer erforderlich (höchstens 100 Zeichen).
share-error-email = Geben Sie eine gültige E-Mail-Adresse an, an die die Rechnung gehen soll.
share-error-note = Die Notiz darf höchstens 2.000 Zeichen haben.
share-error-no-mail = Diese Rechnung wurde ohne Konto erstellt, daher versenden wir keine E-Mails dazu: Kopieren Sie ihren Link und senden Sie ihn selbst.
share-error-too-many = Zu viele Versuche: Bitte warten Sie etwas und versuchen Sie es erneut.
share-error-state = Diese Rechnung hat sich geändert, seit Sie sie geöffnet haben: Laden Sie die Seite neu.
share-error-other = Bei uns ist etwas schiefgegangen: Bitte versuchen Sie es in einer Minute erneut.
status-draft = Entwurf
status-sent = gesendet
status-viewed = angesehen
status-change_requested = Änderung erbeten
status-updated = geändert
status-approved = freigegeben
status-paid = bezahlt
status-cancelled = storniert

# Zahlungserinnerungen
reminder-upcoming-subject = Rechnung { $number } ist am { $due_date } fällig
reminder-upcoming-body = Guten Tag,

    wir möchten freundlich daran erinnern, dass die Rechnung { $number } von { $sender } über { $amount } in { $days } Tagen, am { $due_date }, fällig wird.

    Falls Sie bereits bezahlt haben, danken wir Ihnen und bitten Sie, diese Nachricht zu ignorieren.
reminder-due-subject = Rechnung { $number } ist heute fällig
reminder-due-body = Guten Tag,

    die Rechnung { $number } von { $sender } über { $amount } ist heute fällig.

    Falls Sie bereits bezahlt haben, danken wir Ihnen und bitten Sie, diese Nachricht zu ignorieren.
reminder-overdue-subject = Zahlungserinnerung: Rechnung { $number } ist überfällig
reminder-overdue-body = Guten Tag,

    laut unseren Unterlagen ist die Rechnung { $number } über { $amount } noch offen; sie war am { $due_date } fällig, vor { $days } Tagen.

    Bitte begleichen Sie den Betrag zeitnah. Falls Sie bereits bezahlt haben, danken wir Ihnen und bitten Sie, diese Nachricht zu ignorieren.
reminder-final-subject = Letzte Zahlungserinnerung: Rechnung { $number } ist seit { $days } Tagen überfällig
reminder-final-body = Guten Tag,

    die Rechnung { $number } über { $amount } war am { $due_date } fällig und ist { $days } Tage später noch offen.

    Bitte begleichen Sie den Betrag jetzt oder teilen Sie uns mit, wann Sie zahlen werden. Falls Sie bereits bezahlt haben, danken wir Ihnen und bitten Sie, diese Nachricht zu ignorieren.
mail-reminder-amount = Offener Betrag
mail-reminder-pay = Jetzt bezahlen
mail-reminder-qr = Per Überweisung bezahlen: Scannen Sie diesen Code mit Ihrer Banking-App.
