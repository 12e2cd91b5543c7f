# The words a recipient reads: the invoice document (share page and PDF), the share page,
# the mails they get, and the default tax texts. Every key exists in every language (a test
# checks it). Amounts and dates arrive formatted for the language.

## The document
doc-invoice = Invoice
doc-number = Number
doc-issued = Issued
doc-due = Due
doc-po = PO
doc-bill-to = Bill to
doc-tax-id = Tax ID { $id }
doc-vat-id = VAT ID { $id }
doc-description = Description
doc-quantity = Qty
doc-unit-price = Unit price
doc-unit-price-gross = Unit price incl. VAT
doc-discount = Discount
doc-discount-percent = Discount { $percent }
doc-vat = VAT
doc-amount = Amount
doc-amount-net = Amount (net)
doc-subtotal = Subtotal
doc-tax-on = { $label } on { $amount }
doc-rounding = Rounding
doc-total = Total
doc-paid = Paid
doc-balance-due = Balance due
doc-vat-breakdown = VAT breakdown
doc-net = Net
doc-gross = Gross
doc-terms = Terms
doc-payment-details = Payment details
doc-pay-by-bank = Scan with your banking app to pay by transfer
doc-page = Page { $page } of { $pages }
doc-vat-rate = VAT { $rate }
doc-credit-note = Credit note
doc-cancellation = Cancellation
doc-corrects = Corrects invoice { $number } of { $date }
doc-reason = Reason: { $reason }
doc-credited = Credited
doc-refund-due = To be refunded
credit-reason-cancelled = Cancellation of invoice { $number }

## Payment details labels
pay-bank = Bank
pay-account-name = Account name
pay-account-number = Account number
pay-routing-number = Routing number
pay-iban = IBAN
pay-swift = SWIFT/BIC

## VAT categories (UNCL 5305) and the texts printed when a line gives no reason
vat-category-standard = Standard rate
vat-category-zero_rated = Zero-rated (0%)
vat-category-exempt = VAT exempt
vat-category-reverse_charge = Reverse charge
vat-category-intra_community = Intra-EU supply
vat-category-export = Export
vat-category-outside_scope = Not subject to VAT
vat-reason-reverse_charge = Reverse charge: VAT to be accounted for by the recipient (Article 196 of Directive 2006/112/EC)
vat-reason-intra_community = Intra-community supply of goods, exempt from VAT (Article 138 of Directive 2006/112/EC)
vat-reason-export = Export outside the EU, exempt from VAT (Article 146 of Directive 2006/112/EC)
vat-reason-outside_scope = Not subject to VAT

## Mails to the recipient
mail-footer = Questions about this invoice? Reply to this e-mail to reach { $sender }.
mail-sent-subject = Invoice { $number } from { $sender } ({ $total })
mail-sent-heading = Invoice { $number } from { $sender }
mail-sent-amount = Amount: { $total }
mail-sent-due = Due: { $date }
mail-sent-due-short = Due { $date }
mail-sent-link-text = View the invoice online (download the PDF, ask for changes, approve it or forward it to your accounts team; no account needed):
mail-sent-link-html = View the invoice online: you can download it as a PDF, ask for changes, approve it or forward it to your accounts team. No account needed.
mail-sent-button = View invoice { $number }
mail-or-open = Or open:
mail-updated-subject = Invoice { $number } from { $sender } was updated
mail-updated-heading = Invoice { $number } was updated
mail-updated-body = { $sender } updated invoice { $number }. It now comes to { $total }, due { $date }.
mail-updated-next = Open it to see exactly what changed, then approve it or ask for more changes.
mail-updated-button = See what changed
mail-paid-subject = Receipt: invoice { $number } from { $sender } is paid
mail-paid-heading = Invoice { $number } is paid
mail-paid-body = { $sender } recorded your payment of { $total } for invoice { $number }. Thank you!
mail-view-invoice = View the invoice
mail-receipt-subject = Receipt: { $amount } paid on invoice { $number } from { $sender }
mail-receipt-heading = Payment received: { $amount }
mail-receipt-body = { $sender } received your payment of { $amount } for invoice { $number } on { $date } ({ $method }).
mail-receipt-settled = Invoice { $number } ({ $total }) is now paid in full. Thank you!
mail-receipt-balance = Balance due on invoice { $number }: { $balance } of { $total }, due { $date }.
mail-forwarded-subject = Invoice { $number } from { $sender } was forwarded to you
mail-forwarded-heading = Invoice { $number } from { $sender }
mail-forwarded-body = This invoice ({ $total }, due { $date }) was forwarded to you.
mail-credit-subject = Credit note { $credit } for invoice { $number } from { $sender }
mail-credit-heading = Credit note { $credit }: { $amount }
mail-credit-body = { $sender } issued credit note { $credit } for invoice { $number }, crediting { $amount }. It is attached as a PDF.
mail-cancel-subject = Invoice { $number } from { $sender } was cancelled
mail-cancel-heading = Invoice { $number } was cancelled
mail-cancel-body = { $sender } cancelled invoice { $number } with credit note { $credit } ({ $amount }). It is attached as a PDF.
mail-credit-balance = Still due on invoice { $number }: { $balance }.
mail-credit-refund = { $sender } will refund { $refund } to you.
mail-credit-nothing-due = Nothing is due on invoice { $number } any more.

## Payment methods
method-card = Card (Stripe)
method-bank_transfer = Bank transfer
method-cash = Cash
method-other = Other

## The share page
share-title = Invoice { $number } from { $sender }
share-heading = Invoice { $number }
share-summary = From { $sender } · { $total } due { $date }
share-download-pdf = Download PDF
share-download-e-invoice = Download e-invoice
share-credit-notes = Credit notes
share-credit-note-line = { $credit } of { $date }: { $amount } ({ $reason })
share-download-credit-note = Download { $credit } (PDF)
share-download-credit-note-e-invoice = Its e-invoice
share-done-changes = Your request was sent. You will get an e-mail when the invoice is updated.
share-done-approved = Thank you: the invoice is approved.
share-done-forwarded = The invoice was forwarded.
share-banner-paid = Paid — thank you.
share-banner-cancelled = This invoice was cancelled; nothing is due.
share-banner-change-requested = Changes were requested; the sender will update the invoice.
share-approved-by-on = Approved by { $name } on { $date }
share-approved-by = Approved by { $name }
share-pay = Pay { $amount }
share-pay-note = Card payment on Stripe's secure page.
share-paying = Paying
share-pay-by-transfer = Pay by bank transfer with the details on the invoice.
share-approve = Approve
share-your-name = Your name
share-po-number = Purchase order (PO) number
share-approve-button = Approve invoice
share-request-changes = Request changes
share-what-should-change = What should change?
share-send-request = Send request
share-forward = Forward
share-forward-link-intro = To pass this invoice on, send its link:
share-link-label = Link to this invoice
share-forward-intro = Send this invoice to a colleague, e.g. accounts payable.
share-email = E-mail address
share-note = Note (optional)
share-forward-button = Forward invoice
share-changes-label = What changed
share-changes-heading = What changed since you last looked
share-removed = Removed: { $line } ({ $amount })
share-added = Added: { $line } ({ $amount })
share-changed = Changed: { $line } ({ $before } → { $after })
share-also-changed = Also changed: { $fields }
share-total-change = Total: { $before } → { $after }
share-paid-received = Payment received — thank you. A receipt is on its way to your inbox.
share-paid-processing = Your payment is processing. This page will show it as paid once Stripe confirms it.
share-paid-mismatch = Stripe took a payment that does not match this invoice. The sender has been told and will sort it out with you: please do not pay again.
share-paid-expired = That payment page expired and nothing was charged: pay again below.
share-paid-unconfirmed = We could not confirm your payment yet: reload this page in a minute.
share-paid-cancelled = Payment cancelled: nothing was charged.
share-paid-not-online = This amount cannot be paid by card: pay with the details on the invoice.
share-paid-nothing-due = Nothing is due on this invoice now.
share-paid-unavailable = Paying online is not available right now. Try again in a minute, or pay with the details on the invoice.
share-error-message = Say what should change (at most 5,000 characters).
share-error-name = Type your name to approve (at most 200 characters).
share-error-po-number = Your purchase order (PO) number is required to approve (at most 100 characters).
share-error-email = Give a valid e-mail address to forward the invoice to.
share-error-note = The note can have at most 2,000 characters.
share-error-no-mail = This invoice was made without an account, so we send no mail for it: copy its link and send it yourself.
share-error-too-many = Too many tries: please wait a while and try again.
share-error-state = This invoice has changed since you opened it: reload the page.
share-error-other = Something went wrong on our side: please try again in a minute.
status-draft = draft
status-sent = sent
status-viewed = viewed
status-change_requested = change requested
status-updated = updated
status-approved = approved
status-paid = paid
status-cancelled = cancelled

# Payment reminders (the sender may replace the words; { $days } is days before or after the due date)
reminder-upcoming-subject = Invoice { $number } is due on { $due_date }
reminder-upcoming-body = Hello,

    a friendly reminder that invoice { $number } from { $sender } over { $amount } is due in { $days } days, on { $due_date }.

    If you have already paid, thank you, and please ignore this message.
reminder-due-subject = Invoice { $number } is due today
reminder-due-body = Hello,

    invoice { $number } from { $sender } over { $amount } is due today.

    If you have already paid, thank you, and please ignore this message.
reminder-overdue-subject = Reminder: invoice { $number } is overdue
reminder-overdue-body = Hello,

    our records show invoice { $number } over { $amount } as unpaid; it was due on { $due_date }, { $days } days ago.

    Please pay it at your earliest convenience. If you have already paid, thank you, and please ignore this message.
reminder-final-subject = Final reminder: invoice { $number } is { $days } days overdue
reminder-final-body = Hello,

    invoice { $number } over { $amount } was due on { $due_date } and is still unpaid, { $days } days later.

    Please pay it now, or reply to tell us when you will. If you have already paid, thank you, and please ignore this message.
mail-reminder-amount = Amount due
mail-reminder-pay = Pay now
mail-reminder-qr = Pay by bank transfer: scan this code with your banking app.
