from enum import StrEnum


class IvrTargetKind(StrEnum):
    HANGUP = "hangup"
    LUA_SERVICE = "lua_service"
    NUMBER = "number"
    REPEAT = "repeat"
    VOICEMAIL = "voicemail"

    def __str__(self) -> str:
        return str(self.value)
