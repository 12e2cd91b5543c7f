use domain::currency::{format_amount, parse_amount};
use domain::totals::{LineCalc, compute_totals};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <Title text=""/>
        <section class="hero">
            <h1>"Send an invoice. Get it approved. Get paid."</h1>
            <p class="lead">
                "JupiterInvoice is invoicing for independent professionals and small firms: draft an invoice with
                live totals, send your client a private link, and let them view it, ask for changes, approve it
                and pay — no account needed on their side."
            </p>
            <p class="actions">
                <a class="button" href="/signin">"Sign in"</a>
                <a class="button button-secondary" href="/new">"Create an invoice without an account"</a>
            </p>
        </section>
        <section class="grid-2">
            <TotalsDemo/>
            <div class="card">
                <h2>"Built for integrators and agents"</h2>
                <p>
                    "A REST API with bearer keys, integer cents and ISO dates; an OpenAPI 3.1 spec at "
                    <a href="/api/openapi.json"><code>"/api/openapi.json"</code></a>
                    "; the same JSON shape for your scripts, your AI agent and our own pages."
                </p>
                <pre class="code"><code>"curl -X POST http://127.0.0.1:3000/api/v1/invoices \\
    -H \"Authorization: Bearer jk_live_…\" \\
    -H \"Content-Type: application/json\" \\
    -d '{\"due_date\": \"2026-06-01\", …}'"</code></pre>
                <p>
                    "AI agents connect to the MCP server at " <code>"/mcp"</code>
                    ": seven tools mirroring the API, with previews (" <code>"dry_run"</code>
                    "). Give an agent a read-only key to let it read but never write. Paste into your MCP client:"
                </p>
                <pre class="code"><code>"{
  \"mcpServers\": {
    \"jupiterinvoice\": {
      \"type\": \"http\",
      \"url\": \"http://127.0.0.1:3000/mcp\",
      \"headers\": { \"Authorization\": \"Bearer jk_live_…\" }
    }
  }
}"</code></pre>
            </div>
        </section>
    }
}

/// Total of `hours` × `rate` plus `tax` percent, by the very totals code the API uses.
fn demo_total(hours: &str, rate: &str, tax: &str) -> Option<String> {
    let quantity = domain::decimal::parse(hours).filter(|q| q.is_sign_positive() && !q.is_zero())?;
    let unit_price_cents = parse_amount(rate, "USD").filter(|c| *c >= 0)?;
    let tax_rate = domain::decimal::parse(tax)?;
    let line = LineCalc { quantity, unit_price_cents, discount: None };
    let totals = compute_totals(&[line], None, Some(tax_rate)).ok()?;
    Some(format_amount(totals.total_cents, "USD"))
}

/// Live totals: typed values are recomputed in the browser once the page has hydrated.
#[component]
fn TotalsDemo() -> impl IntoView {
    let hours = RwSignal::new("12.5".to_string());
    let rate = RwSignal::new("120.00".to_string());
    let tax = RwSignal::new("20".to_string());
    let total =
        move || demo_total(&hours.get(), &rate.get(), &tax.get()).unwrap_or_else(|| "Check the numbers".to_string());
    view! {
        <div class="card">
            <h2>"Totals as you type"</h2>
            <p class="muted">"Exact cents, rounded once, the same in your browser, the API and the PDF."</p>
            <div class="demo-fields">
                <label>
                    "Hours"
                    <input name="hours" inputmode="decimal" value=hours.get_untracked() prop:value=hours on:input:target=move |ev| hours.set(ev.target().value())/>
                </label>
                <label>
                    "Rate (USD)"
                    <input name="rate" inputmode="decimal" value=rate.get_untracked() prop:value=rate on:input:target=move |ev| rate.set(ev.target().value())/>
                </label>
                <label>
                    "Tax %"
                    <input name="tax" inputmode="decimal" value=tax.get_untracked() prop:value=tax on:input:target=move |ev| tax.set(ev.target().value())/>
                </label>
            </div>
            <p class="demo-total">"Total " <output data-testid="demo-total">{total}</output></p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::demo_total;

    #[test]
    fn the_demo_uses_the_domain_totals() {
        // 12.5 h × $120.00 = $1,500.00 + 20% = $1,800.00
        assert_eq!(demo_total("12.5", "120.00", "20").as_deref(), Some("$1,800.00"));
        assert_eq!(demo_total("0", "120", "20"), None);
        assert_eq!(demo_total("1", "1.999", "0"), None);
    }
}
