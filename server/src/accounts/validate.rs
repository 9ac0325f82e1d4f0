//! Checks of what customers type: the shared rules of [`storefront::validate`] (the storefront
//! runs the same functions in the browser), and what only the server needs.

pub(crate) use storefront::validate::*;

/// The mailbox a (valid, lower-cased) e-mail address delivers to, for limits per person:
/// `+tags` are dropped (`jana+1@x.cz` is `jana@x.cz`), and so are dots at Gmail, which ignores
/// them.
pub(crate) fn mailbox(email: &str) -> String {
    let email = email.trim().to_lowercase();
    let Some((local, domain)) = email.rsplit_once('@') else {
        return email;
    };
    let local = local.split('+').next().unwrap_or(local);
    let local = if matches!(domain, "gmail.com" | "googlemail.com") {
        local.replace('.', "")
    } else {
        local.to_owned()
    };
    format!("{local}@{domain}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_mailbox_whatever_the_tags_and_case() {
        assert_eq!(mailbox("Jana+sleva2@Example.cz"), "jana@example.cz");
        assert_eq!(mailbox("j.a.n.a+x@gmail.com"), "jana@gmail.com");
        assert_eq!(mailbox("j.ana@seznam.cz"), "j.ana@seznam.cz");
    }
}
