from enum import StrEnum


class CloudEventCallDtmfEventType(StrEnum):
    CALL_DTMF = "call.dtmf"

    def __str__(self) -> str:
        return str(self.value)
