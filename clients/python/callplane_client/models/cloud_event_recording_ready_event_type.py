from enum import StrEnum


class CloudEventRecordingReadyEventType(StrEnum):
    RECORDING_READY = "recording.ready"

    def __str__(self) -> str:
        return str(self.value)
