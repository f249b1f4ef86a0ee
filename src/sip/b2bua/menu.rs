//! The decisions of an IVR menu, as pure functions of the menu: where a key leads, and
//! what follows a key with no option or no key at all. The call task plays the prompts
//! and performs the steps.

use crate::model::ivr_menu::{IvrMenu, IvrTarget, IvrTargetKind};

/// What the caller's choice asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuStep {
    /// Ring (or enter) this target: a number, or `voicemail:<extension>`.
    Go(String),
    /// Ask the Lua service with this id.
    Service(String),
    Repeat,
    Hangup,
}

/// What follows a miss (no key within the timeout, or a key with no option).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterMiss {
    /// Play the prompt again.
    Again,
    /// The retries are used up: the fallback.
    Fallback(MenuStep),
    /// Used up, and no fallback: goodbye.
    Goodbye,
}

/// The step a target names.
pub fn step_of(target: &IvrTarget) -> MenuStep {
    let number = || target.number.as_ref().map(ToString::to_string).unwrap_or_default();
    match target.kind {
        IvrTargetKind::Number => MenuStep::Go(number()),
        IvrTargetKind::Voicemail => MenuStep::Go(format!("{}{}", super::routing::VOICEMAIL_TARGET, number())),
        IvrTargetKind::LuaService => MenuStep::Service(target.id.clone().unwrap_or_default()),
        IvrTargetKind::Repeat => MenuStep::Repeat,
        IvrTargetKind::Hangup => MenuStep::Hangup,
    }
}

/// Where `key` leads in `menu`; `None` when the menu has no option for it (a miss).
pub fn on_key(menu: &IvrMenu, key: char) -> Option<MenuStep> {
    let mut buf = [0u8; 4];
    menu.options.get(&*key.encode_utf8(&mut buf)).map(step_of)
}

/// After the `misses`-th miss in a row: the prompt plays again while retries are left
/// (`retries` replays after the first play), then the fallback applies.
pub fn after_miss(menu: &IvrMenu, misses: u32) -> AfterMiss {
    if misses <= menu.retries {
        return AfterMiss::Again;
    }
    match &menu.fallback {
        Some(target) => AfterMiss::Fallback(step_of(target)),
        None => AfterMiss::Goodbye,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;
    use crate::model::ivr_menu::IvrMenuCreate;

    fn menu(fallback: Option<IvrTarget>) -> IvrMenu {
        let json = serde_json::json!({
            "number": "800",
            "options": {
                "1": {"kind": "number", "number": "1001"},
                "2": {"kind": "voicemail", "number": "1002"},
                "3": {"kind": "lua_service", "id": "hours"},
                "9": {"kind": "repeat"},
                "#": {"kind": "hangup"}
            },
            "retries": 2
        });
        let mut request: IvrMenuCreate = serde_json::from_value(json).expect("menu");
        request.fallback = fallback;
        IvrMenu::create("m".into(), chrono::Utc::now(), request).expect("valid").0
    }

    #[test]
    fn keys_lead_to_their_targets() {
        let m = menu(None);
        assert_eq!(on_key(&m, '1'), Some(MenuStep::Go("1001".into())));
        assert_eq!(on_key(&m, '2'), Some(MenuStep::Go("voicemail:1002".into())));
        assert_eq!(on_key(&m, '3'), Some(MenuStep::Service("hours".into())));
        assert_eq!(on_key(&m, '9'), Some(MenuStep::Repeat));
        assert_eq!(on_key(&m, '#'), Some(MenuStep::Hangup));
        assert_eq!(on_key(&m, '5'), None, "no option: a miss");
    }

    #[test]
    fn misses_replay_the_prompt_then_the_fallback_applies() {
        let m = menu(None);
        assert_eq!(after_miss(&m, 1), AfterMiss::Again);
        assert_eq!(after_miss(&m, 2), AfterMiss::Again);
        assert_eq!(after_miss(&m, 3), AfterMiss::Goodbye, "two retries, then no fallback: goodbye");
        let operator = IvrTarget { kind: IvrTargetKind::Number, number: Some("1000".parse().expect("n")), id: None };
        assert_eq!(after_miss(&menu(Some(operator)), 3), AfterMiss::Fallback(MenuStep::Go("1000".into())));
    }
}
