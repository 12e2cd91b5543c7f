use crate::api::keys::{MintKey, RevokeKey, list_keys, take_new_key};
use crate::components::field::CopyButton;
use crate::components::form::{FieldError, FormError, action_error, reset_on_success};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn KeysPage() -> impl IntoView {
    let mint = ServerAction::<MintKey>::new();
    let revoke = ServerAction::<RevokeKey>::new();
    let keys = Resource::new(move || (mint.version().get(), revoke.version().get()), |_| list_keys());
    // A key minted by a plain form post arrives through the session, once.
    let flashed = Resource::new(|| (), |_| take_new_key());
    let new_key =
        move || mint.value().get().and_then(|r| r.ok()).or_else(|| flashed.get().and_then(|r| r.ok()).flatten());
    let mint_error = action_error(mint);
    let mint_form = NodeRef::<leptos::html::Form>::new();
    reset_on_success(mint, mint_form);
    let revoke_error = action_error(revoke);
    view! {
        <Title text="API keys"/>
        <h1>"API keys"</h1>
        <p class="muted">
            "Keys let your scripts and AI agents use the " <a href="/api/openapi.json">"REST API"</a>
            " as you: send them as " <code>"Authorization: Bearer jk_live_…"</code> ". A read-only key can list and read but never change anything."
        </p>
        <Suspense fallback=|| ()>
            {move || new_key().map(|secret| view! {
                <div class="card key-reveal" role="status">
                    <h2>"Your new key"</h2>
                    <p>"Copy it now: it is shown only this once."</p>
                    <div class="copy-row">
                        <input class="mono" readonly value=secret.clone() aria-label="New API key" data-testid="new-key"/>
                        <CopyButton text=secret/>
                    </div>
                </div>
            })}
        </Suspense>
        <div class="card">
            <h2>"Create a key"</h2>
            <ActionForm action=mint node_ref=mint_form attr:class="inline-fields">
                <label class="field grow">
                    "Name"
                    <input name="name" placeholder="e.g. Laptop script, Claude agent" maxlength="100" required/>
                </label>
                <label class="field">
                    "Access"
                    <select name="scope">
                        {domain::KeyScope::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                </label>
                <button class="button" type="submit">"Create key"</button>
            </ActionForm>
            <FieldError error=mint_error field="name"/>
            <FormError error=mint_error fields=&["name"]/>
        </div>
        <div class="card">
            <h2>"Your keys"</h2>
            <FormError error=revoke_error/>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || keys.get().map(|r| match r {
                    Err(e) => view! { <div class="alert alert-error">{e.message}</div> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">"No keys yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-wrap">
                            <table class="table">
                                <thead><tr><th>"Name"</th><th>"Key"</th><th>"Access"</th><th>"Created"</th><th>"Last used"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|k| view! {
                                        <tr class:revoked=k.revoked>
                                            <td>{k.name}</td>
                                            <td><code>{format!("{}…", k.prefix)}</code></td>
                                            <td>{k.scope.label()}</td>
                                            <td>{k.created}</td>
                                            <td>{k.last_used.unwrap_or_else(|| "never".into())}</td>
                                            <td>
                                                {if k.revoked {
                                                    view! { <span class="badge badge-cancelled">"revoked"</span> }.into_any()
                                                } else {
                                                    view! {
                                                        <ActionForm action=revoke attr:class="inline-form">
                                                            <input type="hidden" name="id" value=k.id/>
                                                            <button class="button button-small button-danger" type="submit">"Revoke"</button>
                                                        </ActionForm>
                                                    }.into_any()
                                                }}
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                })}
            </Suspense>
        </div>
    }
}
