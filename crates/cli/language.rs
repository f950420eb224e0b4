//! Choosing the output language: `--lang`, else `GHCR_DOCTOR_LANG`, else the team config's
//! `lang`, else the OS locale (`LC_ALL`, `LC_MESSAGES`, `LANG`; `ja*` is Japanese), else English.

use ghcr_doctor_checks::Lang;

use crate::args::LangArg;

pub fn choose(flag: Option<LangArg>, config: Option<Lang>, var: impl Fn(&str) -> Option<String>) -> Lang {
    if let Some(flag) = flag {
        return match flag {
            LangArg::Ja => Lang::Ja,
            LangArg::En => Lang::En,
        };
    }
    if let Some(lang) = var("GHCR_DOCTOR_LANG").as_deref().and_then(Lang::from_code) {
        return lang;
    }
    if let Some(lang) = config {
        return lang;
    }
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Some(value) = var(name).filter(|v| !v.is_empty()) {
            return Lang::from_locale(&value);
        }
    }
    // No POSIX locale variable: ask the OS (macOS and Windows keep it elsewhere).
    sys_locale::get_locale().map(|l| Lang::from_locale(&l)).unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn precedence_is_flag_env_config_locale() {
        let e = [("GHCR_DOCTOR_LANG", "ja"), ("LANG", "en_US.UTF-8"), ("PATH", "/bin")];
        assert_eq!(choose(Some(LangArg::En), None, env(&e)), Lang::En);
        assert_eq!(choose(None, Some(Lang::En), env(&e)), Lang::Ja);
        let e = [("LANG", "ja_JP.UTF-8"), ("PATH", "/bin")];
        assert_eq!(choose(None, Some(Lang::En), env(&e)), Lang::En);
        assert_eq!(choose(None, None, env(&e)), Lang::Ja);
        let e = [("LC_ALL", "C"), ("LANG", "ja_JP.UTF-8"), ("PATH", "/bin")];
        assert_eq!(choose(None, None, env(&e)), Lang::En);
        let e = [("LC_MESSAGES", "ja_JP"), ("PATH", "/bin")];
        assert_eq!(choose(None, None, env(&e)), Lang::Ja);
    }
}
