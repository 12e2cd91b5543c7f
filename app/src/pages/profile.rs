use crate::api::profile::{PaymentSettings, SaveProfile, SaveStripeKeys, load_payment_settings, load_profile};
use crate::components::field::TextField;
use crate::components::form::{FieldError, FormError, action_error};
use domain::profile::ProfileForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const FIELDS: &[&str] = &[
    "company",
    "address_line1",
    "address_line2",
    "city",
    "postal_code",
    "state",
    "country",
    "tax_id",
    "vat_id",
    "phone",
    "peppol_id",
    "bank_name",
    "account_name",
    "account_number",
    "routing_number",
    "iban",
    "swift_code",
    "default_currency",
    "payment_terms_days",
    "terms_text",
    "footer_note",
];

#[component]
pub fn ProfilePage() -> impl IntoView {
    let profile = Resource::new(|| (), |_| load_profile());
    let action = ServerAction::<SaveProfile>::new();
    let error = action_error(action);
    let query = use_query_map();
    let saved = move || {
        action.value().get().is_some_and(|r| r.is_ok())
            || (action.value().get().is_none() && query.read().get("saved").is_some())
    };
    view! {
        <Title text="Profile"/>
        <h1>"Your profile"</h1>
        <p class="muted">"What your invoices say about you, and where you get paid."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || profile.get().map(|p| match p {
                Err(e) => view! { <div class="alert alert-error">{e.message}</div> }.into_any(),
                Ok(p) => view! { <ProfileFormView p action error saved/> }.into_any(),
            })}
        </Suspense>
        <PaymentsSection/>
    }
}

/// Card payments through Stripe: the deployment's account, or the sender's own keys.
#[component]
fn PaymentsSection() -> impl IntoView {
    let action = ServerAction::<SaveStripeKeys>::new();
    let settings = Resource::new(move || action.version().get(), |_| load_payment_settings());
    let error = action_error(action);
    view! {
        <section class="card stack" id="payments" aria-label="Payments">
            <h2>"Payments"</h2>
            <Suspense fallback=|| ()>
                {move || settings.get().and_then(Result::ok).map(|s: PaymentSettings| view! {
                    <p class="muted" data-testid="payments-status">{match (s.own_keys, s.deployment_account) {
                        (true, _) => "Card payments go to your own Stripe account.",
                        (false, true) => "Card payments go through this site's Stripe account. Paste your own keys to be paid on yours.",
                        (false, false) => "Card payments are off: paste a Stripe restricted key and webhook signing secret to offer Pay on your invoices.",
                    }}</p>
                    <p class="small">"In Stripe, add a webhook endpoint for checkout.session.completed and checkout.session.async_payment_succeeded at:"</p>
                    <input class="mono" readonly aria-label="Your Stripe webhook URL" value=s.webhook_url/>
                    {s.own_keys.then(|| view! {
                        <ActionForm action>
                            <input type="hidden" name="forget" value="1"/>
                            <button class="button button-secondary" type="submit">"Forget my Stripe keys"</button>
                        </ActionForm>
                    })}
                }.into_any())}
            </Suspense>
            <ActionForm action attr:class="stack">
                <FormError error fields=&["stripe_secret_key", "stripe_webhook_secret"]/>
                <label class="field">
                    "Restricted key (write access to Checkout Sessions)"
                    <input name="secret_key" type="password" autocomplete="off" placeholder="rk_live_…" required/>
                </label>
                <FieldError error field="stripe_secret_key"/>
                <label class="field">
                    "Webhook signing secret"
                    <input name="webhook_secret" type="password" autocomplete="off" placeholder="whsec_…" required/>
                </label>
                <FieldError error field="stripe_webhook_secret"/>
                <p class="muted small">"Both are kept encrypted and never shown again."</p>
                <button class="button" type="submit">"Save Stripe keys"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn ProfileFormView(
    p: ProfileForm,
    action: ServerAction<SaveProfile>,
    error: Signal<Option<crate::error::AppError>>,
    saved: impl Fn() -> bool + Send + Sync + 'static,
) -> impl IntoView {
    // Each fieldset is type-erased: as one view the form's type is deep enough to overflow a
    // 2 MiB worker stack when a debug build renders it.
    view! {
        <ActionForm action=action attr:class="card form-grid">
            <Show when=saved>
                <div class="alert alert-ok span-2" role="status">"Profile saved."</div>
            </Show>
            <FormError error fields=FIELDS/>
            {view! { <fieldset class="span-2">
                <legend>"Business"</legend>
                <div class="grid-fields">
                    <TextField label="Company" name="profile[company]" field="company" value=p.company error autocomplete="organization" required=true/>
                    <TextField label="Tax ID (VAT, EIN…)" name="profile[tax_id]" field="tax_id" value=p.tax_id error/>
                    <TextField label="EU VAT ID (checked)" name="profile[vat_id]" field="vat_id" value=p.vat_id error hint="e.g. DE123456789: printed on invoices, decides reverse-charge proposals"/>
                    <TextField label="Address" name="profile[address_line1]" field="address_line1" value=p.address_line1 error autocomplete="address-line1"/>
                    <TextField label="Address line 2" name="profile[address_line2]" field="address_line2" value=p.address_line2 error autocomplete="address-line2"/>
                    <TextField label="City" name="profile[city]" field="city" value=p.city error autocomplete="address-level2"/>
                    <TextField label="Postal code" name="profile[postal_code]" field="postal_code" value=p.postal_code error autocomplete="postal-code"/>
                    <TextField label="State / region" name="profile[state]" field="state" value=p.state error autocomplete="address-level1"/>
                    <TextField label="Country" name="profile[country]" field="country" value=p.country error autocomplete="country-name"/>
                    <TextField label="Telephone" name="profile[phone]" field="phone" value=p.phone error autocomplete="tel" hint="The contact XRechnung invoices name"/>
                    <TextField label="Peppol id" name="profile[peppol_id]" field="peppol_id" value=p.peppol_id error hint="scheme:identifier, e.g. 9930:DE123456789: needed for Peppol e-invoices"/>
                </div>
                <label class="check">
                    <input type="checkbox" name="profile[small_business]" value="on" checked=p.small_business/>
                    " VAT-exempt small business (§ 19 UStG, art. 293 B CGI…): every line is exempt, with your country's legal text"
                </label>
            </fieldset> }.into_any()}
            {view! { <fieldset class="span-2">
                <legend>"Payment details"</legend>
                <div class="grid-fields">
                    <TextField label="Bank name" name="profile[bank_name]" field="bank_name" value=p.bank_name error/>
                    <TextField label="Account name" name="profile[account_name]" field="account_name" value=p.account_name error/>
                    <TextField label="Account number" name="profile[account_number]" field="account_number" value=p.account_number error/>
                    <TextField label="Routing number" name="profile[routing_number]" field="routing_number" value=p.routing_number error/>
                    <TextField label="IBAN" name="profile[iban]" field="iban" value=p.iban error/>
                    <TextField label="SWIFT / BIC" name="profile[swift_code]" field="swift_code" value=p.swift_code error/>
                </div>
            </fieldset> }.into_any()}
            {view! { <fieldset class="span-2">
                <legend>"Invoice defaults"</legend>
                <div class="grid-fields">
                    <TextField label="Default currency" name="profile[default_currency]" field="default_currency" value=p.default_currency error hint="ISO code, e.g. USD, EUR, GBP"/>
                    <TextField label="Payment terms (days)" name="profile[payment_terms_days]" field="payment_terms_days" value=p.payment_terms_days error kind="number"/>
                </div>
                <label class="field">
                    "Default terms"
                    <textarea name="profile[terms_text]" rows="3">{p.terms_text}</textarea>
                </label>
                <FieldError error field="terms_text"/>
                <label class="field">
                    "Default footer note"
                    <textarea name="profile[footer_note]" rows="2">{p.footer_note}</textarea>
                </label>
                <FieldError error field="footer_note"/>
                <p class="muted small">"Your time zone and the hour automatic mail goes out (recurring invoices, payment reminders) are on the "
                    <a href="/reminders">"Reminders"</a>" page."</p>
            </fieldset> }.into_any()}
            <p class="span-2"><button class="button" type="submit">"Save profile"</button></p>
        </ActionForm>
    }
}
