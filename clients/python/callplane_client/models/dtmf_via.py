from enum import StrEnum


class DtmfVia(StrEnum):
    INFO = "info"
    RTP = "rtp"

    def __str__(self) -> str:
        return str(self.value)
