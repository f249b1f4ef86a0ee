from enum import StrEnum


class RouteTargetKind(StrEnum):
    EXTENSION = "extension"
    IVR = "ivr"
    LUA_SERVICE = "lua_service"
    RING_GROUP = "ring_group"
    TRUNK = "trunk"
    VOICEMAIL = "voicemail"

    def __str__(self) -> str:
        return str(self.value)
