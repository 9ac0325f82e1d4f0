//! `/prihlaseni` and `/registrace`.

use leptos::prelude::*;

use crate::api::{Login, Register, login, register};
use crate::components::{
    Field, FieldErrors, FormMessage, NETWORK_ERROR, OutcomeNote, PageMeta, checks, reload_to,
    submit,
};
use crate::user_errors;

#[island]
fn SignInForm() -> impl IntoView {
    let (email, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = RwSignal::new(FieldErrors::default());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = login::CustomerLoginInput {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        submit::<Login>(login::Variables { input }, move |result| match result {
            Ok(data) if data.customer_login.customer.is_some() => reload_to("/ucet"),
            Ok(data) => errors.set(user_errors!(data.customer_login.user_errors)),
            Err(_) => errors.set(FieldErrors(vec![(String::new(), NETWORK_ERROR.into())])),
        });
    };
    view! {
        <div>
            <form class="form" method="post" action="/ucet/prihlasit" on:submit=on_submit novalidate>
                <FormMessage errors/>
                <Field label="E-mail" name="email" kind="email" autocomplete="email" value=email errors/>
                <Field label="Heslo" name="password" kind="password" autocomplete="current-password" value=password errors/>
                <button class="button" type="submit">"Přihlásit se"</button>
            </form>
            <p><a href="/zapomenute-heslo">"Zapomněli jste heslo?"</a> " · " <a href="/registrace">"Založit účet"</a></p>
        </div>
    }
}

#[island]
fn RegisterForm() -> impl IntoView {
    let fields = [(); 4].map(|_| RwSignal::new(String::new()));
    let [first_name, last_name, email, password] = fields;
    let errors = RwSignal::new(FieldErrors::default());
    let done = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = FieldErrors::default();
        for (name, problem) in [
            ("firstName", checks::required(&first_name.get_untracked())),
            ("lastName", checks::required(&last_name.get_untracked())),
            ("email", checks::email(&email.get_untracked())),
            ("password", checks::password(&password.get_untracked())),
        ] {
            if let Some(message) = problem {
                found.add(name, message);
            }
        }
        if !found.is_empty() {
            return errors.set(found);
        }
        let input = register::CustomerRegisterInput {
            email: email.get_untracked(),
            password: password.get_untracked(),
            first_name: first_name.get_untracked(),
            last_name: last_name.get_untracked(),
            phone: None,
            marketing_consent: false,
        };
        submit::<Register>(register::Variables { input }, move |result| match result {
            Ok(data) if data.customer_register.accepted => {
                errors.set(FieldErrors::default());
                done.set(Some(
                    "Hotovo. Pokud účet s tímto e-mailem ještě nebyl, je připraven – přihlaste se."
                        .into(),
                ));
            }
            Ok(data) => errors.set(user_errors!(data.customer_register.user_errors)),
            Err(_) => errors.set(FieldErrors(vec![(String::new(), NETWORK_ERROR.into())])),
        });
    };
    view! {
        <div>
            <form class="form" method="post" action="/ucet/registrovat" on:submit=on_submit novalidate>
                <FormMessage errors success=done/>
                <Field label="Jméno" name="firstName" autocomplete="given-name" value=first_name errors/>
                <Field label="Příjmení" name="lastName" autocomplete="family-name" value=last_name errors/>
                <Field label="E-mail" name="email" kind="email" autocomplete="email" value=email errors/>
                <Field label="Heslo (alespoň 10 znaků)" name="password" kind="password" autocomplete="new-password" value=password errors/>
                <button class="button" type="submit">"Založit účet"</button>
            </form>
            <p><a href="/prihlaseni">"Už účet máte? Přihlaste se."</a></p>
        </div>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    view! {
        <PageMeta title="Přihlášení".into() description="Přihlaste se ke svému účtu.".into() path="/prihlaseni".into()/>
        <section class="form-page">
            <h1>"Přihlášení"</h1>
            <OutcomeNote notes=&[
                ("chyba", "prihlaseni", "Nesprávný e-mail nebo heslo, případně je účet dočasně zablokován."),
                ("registrace", "hotovo", "Hotovo. Pokud účet s tímto e-mailem ještě nebyl, je připraven – přihlaste se."),
            ]/>
            <SignInForm/>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    view! {
        <PageMeta title="Registrace".into() description="Založte si účet v obchodě Lípa.".into() path="/registrace".into()/>
        <section class="form-page">
            <h1>"Registrace"</h1>
            <OutcomeNote notes=&[("chyba", "udaje", "Zkontrolujte prosím údaje: jméno, e-mail a heslo alespoň o 10 znacích.")]/>
            <RegisterForm/>
        </section>
    }
}
