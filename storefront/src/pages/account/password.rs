//! `/zapomenute-heslo` and `/obnova-hesla?token=…`.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{Reset, ResetRequest, reset, reset_request};
use crate::components::{Field, FieldErrors, FormMessage, NETWORK_ERROR, PageMeta, checks, submit};
use crate::user_errors;

#[island]
fn ForgotForm() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let done = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(message) = checks::email(&email.get_untracked()) {
            return errors.set(FieldErrors(vec![("email".into(), message.into())]));
        }
        submit::<ResetRequest>(
            reset_request::Variables {
                email: email.get_untracked(),
            },
            move |result| match result {
                Ok(data) if data.customer_password_reset_request.accepted => {
                    errors.set(FieldErrors::default());
                    done.set(Some("Pokud u nás účet s tímto e-mailem máte, poslali jsme vám odkaz pro nové heslo.".into()));
                }
                Ok(data) => errors.set(user_errors!(
                    data.customer_password_reset_request.user_errors
                )),
                Err(_) => errors.set(FieldErrors(vec![(String::new(), NETWORK_ERROR.into())])),
            },
        );
    };
    view! {
        <div>
            <form class="form" on:submit=on_submit novalidate>
                <FormMessage errors success=done/>
                <Field label="E-mail" name="email" kind="email" autocomplete="email" value=email errors/>
                <button class="button" type="submit">"Poslat odkaz"</button>
            </form>
        </div>
    }
}

/// `/obnova-hesla?token=…`: the token comes from the e-mailed link.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = use_query_map()
        .get_untracked()
        .get("token")
        .unwrap_or_default();
    view! {
        <PageMeta title="Nové heslo".into() description="Nastavení nového hesla.".into() path="/obnova-hesla".into()/>
        <section class="form-page">
            <h1>"Nové heslo"</h1>
            <ResetForm token/>
        </section>
    }
}

#[island]
fn ResetForm(token: String) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let done = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(message) = checks::password(&password.get_untracked()) {
            return errors.set(FieldErrors(vec![("password".into(), message.into())]));
        }
        let token = token.clone();
        submit::<Reset>(
            reset::Variables {
                token,
                password: password.get_untracked(),
            },
            move |result| match result {
                Ok(data) if data.customer_password_reset.accepted => {
                    errors.set(FieldErrors::default());
                    done.set(Some("Heslo je změněno. Nyní se můžete přihlásit.".into()));
                }
                Ok(data) => errors.set(
                    user_errors!(data.customer_password_reset.user_errors)
                        .with_token_as_form_error(),
                ),
                Err(_) => errors.set(FieldErrors(vec![(String::new(), NETWORK_ERROR.into())])),
            },
        );
    };
    view! {
        <div>
            <form class="form" on:submit=on_submit novalidate>
                <FormMessage errors success=done/>
                <Field label="Nové heslo (alespoň 10 znaků)" name="password" kind="password" autocomplete="new-password" value=password errors/>
                <button class="button" type="submit">"Nastavit heslo"</button>
            </form>
            {move || done.get().map(|_| view! { <p><a class="button" href="/prihlaseni">"Přihlásit se"</a></p> })}
        </div>
    }
}

impl FieldErrors {
    /// The token is no field of this form: its error belongs to the whole form.
    fn with_token_as_form_error(mut self) -> Self {
        for (field, _) in &mut self.0 {
            if field == "token" {
                field.clear();
            }
        }
        self
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    view! {
        <PageMeta title="Zapomenuté heslo".into() description="Obnova hesla k účtu.".into() path="/zapomenute-heslo".into()/>
        <section class="form-page">
            <h1>"Zapomenuté heslo"</h1>
            <ForgotForm/>
        </section>
    }
}
