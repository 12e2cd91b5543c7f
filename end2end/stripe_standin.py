"""A local stand-in for the parts of Stripe JupiterInvoice uses, speaking Stripe's wire format.

  POST /v1/checkout/sessions        form-encoded create (as async-stripe sends it), bearer key
  GET  /v1/checkout/sessions/{id}   retrieve (only with the key of the account that made it, as
                                    Stripe: another account's session is "No such checkout.session")
  GET  /checkout/{id}               the hosted page: Pay, Pay (webhook late), Cancel
  POST /checkout/{id}               the page's buttons: settle, send the signed event, 303 back
  POST /v1/refunds                  form-encoded (payment_intent, amount), bearer key of the account
                                    that took the payment, Idempotency-Key: the same key answers the
                                    same refund; more than is left on the payment is refused as Stripe
                                    refuses it (charge_already_refunded / amount too large)

Events are signed by Stripe's own Python library (stripe.WebhookSignature), so the header is
exactly Stripe's `t=…,v1=…`. Tests drive it through /_control:

  POST /_control/config                   {"webhook_url", "webhook_secret"}
  GET  /_control/sessions                 every session, with the key that made it, its form and events
  POST /_control/sessions/{id}/pay        {"deliver": bool, "amount_total"?, "currency"?, "type"?, "paid"?}
                                          → {"event_id", "status"}; an amount or currency given is what
                                          Stripe then reports for the session, in events and retrievals
  POST /_control/sessions/{id}/expire     {"deliver": bool} → {"event_id", "status"} (checkout.session.expired)

Amounts are checked as Stripe checks them: zero-decimal currencies take whole units, three-decimal
ones amounts ending in 0, ISK whole krónur written with two decimals (multiples of 100).
  POST /_control/events/{id}/deliver      {"signature": "good" | "bad" | "stale"} → {"status", "body"}
  GET  /_control/refunds                  every refund made, with the key and idempotency key it came with

Usage: stripe_standin.py [port]   (0 or none: any free port); prints "ready <port>" once listening.
"""

import json
import secrets
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from stripe import WebhookSignature

LOCK = threading.Lock()
STATE = {"webhook_url": None, "webhook_secret": None, "sessions": {}, "events": {}, "base": "", "refunds": {},
         "idempotent": {}}


def session_object(s):
    """A Checkout Session as Stripe returns it (every field async-stripe requires)."""
    return {
        "id": s["id"],
        "object": "checkout.session",
        "amount_subtotal": s["amount_total"],
        "amount_total": s["amount_total"],
        "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
        "cancel_url": s["cancel_url"],
        "client_reference_id": s["client_reference_id"],
        "created": s["created"],
        "currency": s["currency"],
        "custom_fields": [],
        "custom_text": {"after_submit": None, "shipping_address": None, "submit": None,
                        "terms_of_service_acceptance": None},
        "customer_email": s["customer_email"],
        "expires_at": s["expires_at"],
        "livemode": False,
        "metadata": s["metadata"],
        "mode": "payment",
        "payment_intent": s["payment_intent"],
        "payment_method_types": ["card"],
        "payment_status": s["payment_status"],
        "shipping_options": [],
        "status": s["status"],
        "success_url": s["success_url"],
        "url": s["url"] if s["status"] == "open" else None,
    }


def refund_object(r):
    """A Refund as Stripe returns it (every field async-stripe's Refund reads)."""
    return {
        "id": r["id"], "object": "refund", "amount": r["amount"], "balance_transaction": None,
        "charge": "ch_test_" + r["payment_intent"][len("pi_test_"):], "created": r["created"],
        "currency": r["currency"], "customer": None, "customer_account": None, "description": None,
        "destination_details": None, "failure_balance_transaction": None, "failure_reason": None,
        "instructions_email": None, "metadata": {}, "next_action": None, "payment_intent": r["payment_intent"],
        "payment_method": None, "pending_reason": None, "presentment_details": None, "reason": None,
        "receipt_number": None, "source_transfer_reversal": None, "status": "succeeded", "transfer_reversal": None,
    }


def create_refund(key, form, idempotency_key):
    """POST /v1/refunds: a refund of (part of) a paid session's payment intent."""
    with LOCK:
        if idempotency_key and idempotency_key in STATE["idempotent"]:
            return 200, refund_object(STATE["refunds"][STATE["idempotent"][idempotency_key]])
        intent = form.get("payment_intent", [""])[0]
        session = next((s for s in STATE["sessions"].values() if s["payment_intent"] == intent), None)
        if session is None or session["key"] != key or session["payment_status"] != "paid":
            return stripe_error(f"No such payment_intent: '{intent}'", 404, "resource_missing")
        refunded = sum(r["amount"] for r in STATE["refunds"].values() if r["payment_intent"] == intent)
        left = session["amount_total"] - refunded
        if left <= 0:
            return stripe_error(f"Charge for payment intent {intent} has already been refunded.", 400,
                                "charge_already_refunded")
        amount = int(form.get("amount", [str(left)])[0])
        if amount <= 0 or amount > left:
            return stripe_error(f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                                400, "amount_too_large")
        refund = {"id": "re_test_" + secrets.token_hex(8), "amount": amount, "currency": session["currency"],
                  "payment_intent": intent, "created": int(time.time()), "key": key,
                  "idempotency_key": idempotency_key}
        STATE["refunds"][refund["id"]] = refund
        if idempotency_key:
            STATE["idempotent"][idempotency_key] = refund["id"]
        return 200, refund_object(refund)


def stripe_error(message, code=400, error_code=None):
    return code, {"error": {"type": "invalid_request_error", "message": message, "code": error_code}}


# Stripe's "Supported currencies": amounts Stripe refuses for these currencies.
THREE_DECIMAL = {"bhd", "jod", "kwd", "omr", "tnd"}
WHOLE_UNITS_IN_HUNDREDTHS = {"isk"}


def refused_amount(amount, currency):
    """Stripe's refusal of `amount` (its units of `currency`), or None."""
    if currency in THREE_DECIMAL and amount % 10 != 0:
        return f"Invalid amount. Currency {currency.upper()} amounts must end in 0."
    if currency in WHOLE_UNITS_IN_HUNDREDTHS and amount % 100 != 0:
        return (f"Invalid amount. Currency {currency.upper()} has become effectively zero-decimal and charged "
                "amounts must be evenly divisible by 100.")
    return None


def create_session(key, form):
    def first(name, default=None):
        return form.get(name, [default])[0]

    try:
        amount = int(first("line_items[0][price_data][unit_amount]")) * int(first("line_items[0][quantity]", "1"))
    except (TypeError, ValueError):
        return stripe_error("line_items[0][price_data][unit_amount] is required")
    if first("mode") != "payment":
        return stripe_error("mode must be payment here")
    refusal = refused_amount(amount, first("line_items[0][price_data][currency]", ""))
    if refusal:
        return stripe_error(refusal, 400, "invalid_charge_amount_no_decimal_compatible")
    sid = "cs_test_" + secrets.token_hex(12)
    metadata = {k[len("metadata["):-1]: v[0] for k, v in form.items() if k.startswith("metadata[")}
    now = int(time.time())
    s = {
        "id": sid, "key": key, "form": {k: v[0] for k, v in form.items()},
        "amount_total": amount, "currency": first("line_items[0][price_data][currency]"),
        "success_url": first("success_url"), "cancel_url": first("cancel_url"),
        "client_reference_id": first("client_reference_id"), "customer_email": first("customer_email"),
        "metadata": metadata, "created": now, "expires_at": now + 86_400, "status": "open",
        "payment_status": "unpaid", "payment_intent": None, "url": f"{STATE['base']}/checkout/{sid}",
        "events": [], "retrievals": 0,
    }
    with LOCK:
        STATE["sessions"][sid] = s
    return 200, session_object(s)


def settle(sid, amount_total=None, currency=None, event_type="checkout.session.completed", paid=True):
    """Completes the session (paid, or with a delayed method not yet; or lets it expire) and keeps
    the event; its id. An amount or currency given is what Stripe reports from now on."""
    with LOCK:
        s = STATE["sessions"][sid]
        if event_type == "checkout.session.expired":
            s.update(status="expired", payment_status="unpaid")
        else:
            s.update(status="complete", payment_status="paid" if paid else "unpaid",
                     payment_intent=s["payment_intent"] or "pi_test_" + secrets.token_hex(8))
        if amount_total is not None:
            s["amount_total"] = amount_total
        if currency is not None:
            s["currency"] = currency
        obj = session_object(s)
        event_id = "evt_test_" + secrets.token_hex(12)
        event = {"id": event_id, "object": "event", "created": int(time.time()), "livemode": False,
                 "pending_webhooks": 1, "type": event_type, "data": {"object": obj}}
        STATE["events"][event_id] = json.dumps(event)
        s["events"].append(event_id)
    return event_id


def deliver(event_id, signature="good"):
    """Posts the event to the app as Stripe does; (status, body)."""
    payload = STATE["events"][event_id]
    secret = STATE["webhook_secret"] if signature != "bad" else "whsec_not_the_secret"
    stamp = int(time.time()) - (600 if signature == "stale" else 0)
    header = WebhookSignature.generate_signature_header(payload, secret, timestamp=stamp)
    request = urllib.request.Request(STATE["webhook_url"], data=payload.encode(), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8",
                                              "Stripe-Signature": header, "User-Agent": "Stripe/1.0 (stand-in)"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stand-in Checkout</title></head>
<body><h1>Stand-in Checkout</h1><p data-testid="amount">{amount} {currency}</p>
<form method="post"><button name="outcome" value="pay" data-testid="standin-pay">Pay</button>
<button name="outcome" value="pay-late" data-testid="standin-pay-late">Pay (webhook later)</button>
<button name="outcome" value="cancel" data-testid="standin-cancel">Cancel</button></form></body></html>"""


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type="application/json", headers=()):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def key(self):
        auth = self.headers.get("Authorization", "")
        key = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        return key if key.startswith(("sk_", "rk_")) else None

    def do_GET(self):
        path = urllib.parse.urlparse(self.path).path
        parts = path.strip("/").split("/")
        if path == "/_control/sessions":
            with LOCK:
                return self.answer(200, list(STATE["sessions"].values()))
        if path == "/_control/refunds":
            with LOCK:
                return self.answer(200, list(STATE["refunds"].values()))
        if len(parts) == 4 and parts[:3] == ["v1", "checkout", "sessions"]:
            if not self.key():
                return self.answer(*stripe_error("Invalid API Key provided", 401))
            s = STATE["sessions"].get(parts[3])
            if not s or s["key"] != self.key():
                return self.answer(*stripe_error(f"No such checkout.session: '{parts[3]}'", 404))
            with LOCK:
                s["retrievals"] += 1
            return self.answer(200, session_object(s))
        if len(parts) == 2 and parts[0] == "checkout" and parts[1] in STATE["sessions"]:
            s = STATE["sessions"][parts[1]]
            amount = f"{s['amount_total'] / 100:.2f}"
            return self.answer(200, PAGE.format(amount=amount, currency=s["currency"].upper()), "text/html")
        self.answer(*stripe_error("Unrecognized request URL", 404))

    def do_POST(self):
        path = urllib.parse.urlparse(self.path).path
        parts = path.strip("/").split("/")
        raw = self.body()
        if path == "/v1/checkout/sessions":
            key = self.key()
            if not key:
                return self.answer(*stripe_error("Invalid API Key provided", 401))
            return self.answer(*create_session(key, urllib.parse.parse_qs(raw.decode(), keep_blank_values=True)))
        if path == "/v1/refunds":
            key = self.key()
            if not key:
                return self.answer(*stripe_error("Invalid API Key provided", 401))
            form = urllib.parse.parse_qs(raw.decode(), keep_blank_values=True)
            return self.answer(*create_refund(key, form, self.headers.get("Idempotency-Key")))
        if len(parts) == 2 and parts[0] == "checkout" and parts[1] in STATE["sessions"]:
            s = STATE["sessions"][parts[1]]
            outcome = urllib.parse.parse_qs(raw.decode()).get("outcome", ["cancel"])[0]
            if outcome == "cancel":
                return self.answer(303, "", "text/plain", [("Location", s["cancel_url"])])
            event_id = settle(s["id"])
            if outcome == "pay":
                deliver(event_id)
            location = s["success_url"].replace("{CHECKOUT_SESSION_ID}", s["id"])
            return self.answer(303, "", "text/plain", [("Location", location)])
        body = json.loads(raw or b"{}")
        if path == "/_control/config":
            STATE.update(webhook_url=body["webhook_url"], webhook_secret=body["webhook_secret"])
            return self.answer(200, {"ok": True})
        if len(parts) == 4 and parts[:2] == ["_control", "sessions"] and parts[3] == "pay":
            event_type = body.get("type", "checkout.session.completed")
            event_id = settle(parts[2], body.get("amount_total"), body.get("currency"), event_type,
                              body.get("paid", True))
            status = deliver(event_id)[0] if body.get("deliver", True) else None
            return self.answer(200, {"event_id": event_id, "status": status})
        if len(parts) == 4 and parts[:2] == ["_control", "sessions"] and parts[3] == "expire":
            event_id = settle(parts[2], event_type="checkout.session.expired")
            status = deliver(event_id)[0] if body.get("deliver", True) else None
            return self.answer(200, {"event_id": event_id, "status": status})
        if len(parts) == 4 and parts[:2] == ["_control", "events"] and parts[3] == "deliver":
            status, text = deliver(parts[2], body.get("signature", "good"))
            return self.answer(200, {"status": status, "body": text})
        self.answer(*stripe_error("Unrecognized request URL", 404))


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    STATE["base"] = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"ready {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
