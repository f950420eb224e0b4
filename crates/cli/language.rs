//! Choosing the output language: `--lang`, else `GHCR_DOCTOR_LANG`, else the team config's
//! `lang`, else the OS locale (`LC_ALL`, `LC_MESSAGES`, `LANG`; `ja*` is Japanese), else English.

use ghcr_doctor_checks::Lang;

use ghcr_doctor_probe::Env;

use crate::args::LangArg;

pub fn choose(flag: Option<LangArg>, config: Option<Lang>, env: &Env) -> Lang {
    let var = |name: &str| env.get(name).map(str::to_owned);
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
    sys_locale::get_locale().map_or(Lang::En, |l| Lang::from_locale(&l))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn precedence_is_flag_env_config_locale() {
        let e = [("GHCR_DOCTOR_LANG", "ja"), ("LANG", "en_US.UTF-8"), ("PATH", "/bin")];
        assert_eq!(choose(Some(LangArg::En), None, &env(&e)), Lang::En);
        assert_eq!(choose(None, Some(Lang::En), &env(&e)), Lang::Ja);
        let e = [("LANG", "ja_JP.UTF-8"), ("PATH", "/bin")];
        assert_eq!(choose(None, Some(Lang::En), &env(&e)), Lang::En);
        assert_eq!(choose(None, None, &env(&e)), Lang::Ja);
        let e = [("LC_ALL", "C"), ("LANG", "ja_JP.UTF-8"), ("PATH", "/bin")];
        assert_eq!(choose(None, None, &env(&e)), Lang::En);
        let e = [("LC_MESSAGES", "ja_JP"), ("PATH", "/bin")];
        assert_eq!(choose(None, None, &env(&e)), Lang::Ja);
    }
}
