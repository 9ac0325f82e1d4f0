//! Form pieces: labelled fields with their error next to them, and the errors a form collects
//! from client-side checks and from the server's `userErrors`.

use graphql_client::GraphQLQuery;
use leptos::prelude::*;

use crate::api::{ApiError, Client, run};

/// Errors of a form by field name (`""` for the form as a whole).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    pub fn get(&self, field: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, message)| message.clone())
    }

    pub fn add(&mut self, field: &str, message: &str) {
        self.0.push((field.to_owned(), message.to_owned()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// From a payload's `userErrors` (`field` is `["input", "<name>"]`).
    pub fn from_user_errors(errors: impl IntoIterator<Item = (Vec<String>, String)>) -> Self {
        Self(
            errors
                .into_iter()
                .map(|(field, message)| (field.get(1).cloned().unwrap_or_default(), message))
                .collect(),
        )
    }
}

/// Turns a payload's `userErrors` of any operation into [`FieldErrors`].
#[macro_export]
macro_rules! user_errors {
    ($errors:expr) => {
        $crate::components::FieldErrors::from_user_errors(
            $errors.into_iter().map(|e| (e.field, e.message)),
        )
    };
}

/// A labelled input bound to `value`, showing `errors` for `name`.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    /// The on-screen keyboard a phone shows: `text`, `numeric`, `tel`, `email`, `decimal`.
    #[prop(default = "text")]
    inputmode: &'static str,
) -> impl IntoView {
    let error = move || errors.with(|e| e.get(name));
    view! {
        <label class="field">
            <span class="field__label">{label}</span>
            <input
                class="field__input"
                type=kind
                name=name
                autocomplete=autocomplete
                inputmode=inputmode
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error().is_some().to_string()
            />
            {move || error().map(|message| view! { <span class="field__error" role="alert">{message}</span> })}
        </label>
    }
}

/// The form-wide error (or success) line.
#[component]
pub fn FormMessage(
    errors: RwSignal<FieldErrors>,
    #[prop(optional)] success: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    view! {
        {move || errors.with(|e| e.get("")).map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
        {move || success.and_then(|s| s.get()).map(|message| view! { <p class="form__success" role="status">{message}</p> })}
    }
}

/// Sends the mutation `Q` from the browser and hands its result to `done`.
pub fn submit<Q>(
    variables: Q::Variables,
    done: impl FnOnce(Result<Q::ResponseData, ApiError>) + 'static,
) where
    Q: GraphQLQuery + 'static,
    Q::Variables: 'static,
{
    let client = Client::from_context();
    leptos::task::spawn_local(async move { done(run::<Q>(&client, variables).await) });
}

/// Loads a page anew (so the header and everything else see the new session).
pub fn reload_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
    let _ = path;
}

/// The message shown when the shop cannot be reached.
pub const NETWORK_ERROR: &str = "Spojení s obchodem selhalo. Zkuste to prosím znovu.";

/// Client-side checks: the server's own rules ([`crate::validate`]), run before a form is sent
/// (the server checks again).
pub mod checks {
    use crate::validate;

    pub fn email(value: &str) -> Option<&'static str> {
        validate::email(value).err()
    }

    pub fn password(value: &str) -> Option<&'static str> {
        validate::new_password(value).err()
    }

    pub fn required(value: &str) -> Option<&'static str> {
        value.trim().is_empty().then_some("Vyplňte prosím.")
    }

    pub fn postal_code(value: &str) -> Option<&'static str> {
        validate::postal_code(value).err()
    }

    pub fn phone(value: &str) -> Option<&'static str> {
        validate::phone(value).err()
    }
}

/// The outcome of a plain form post (JavaScript off or not loaded yet): the server redirects back
/// with e.g. `?chyba=prihlaseni`, and the page shows the matching note of `notes`
/// (`(parameter, value, message)`; parameter `chyba` is an error). Only these fixed texts are
/// shown, never the URL's.
#[component]
pub fn OutcomeNote(notes: &'static [(&'static str, &'static str, &'static str)]) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map().get_untracked();
    notes
        .iter()
        .find(|(parameter, value, _)| query.get(parameter).as_deref() == Some(*value))
        .map(|(parameter, _, message)| {
            if *parameter == "chyba" {
                view! { <p class="form__error" role="alert">{*message}</p> }.into_any()
            } else {
                view! { <p class="form__success" role="status">{*message}</p> }.into_any()
            }
        })
}
