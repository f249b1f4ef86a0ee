from enum import StrEnum


class CloudEventVoicemailReceivedEventType(StrEnum):
    VOICEMAIL_RECEIVED = "voicemail.received"

    def __str__(self) -> str:
        return str(self.value)
