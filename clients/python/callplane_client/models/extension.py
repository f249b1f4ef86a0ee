from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.media_mode import MediaMode
from ..models.recording_mode import RecordingMode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.forwarding import Forwarding
    from ..models.voicemail_box import VoicemailBox


T = TypeVar("T", bound="Extension")


@_attrs_define
class Extension:
    """An extension: a number with a password and/or trusted addresses, and forwarding rules.

    Attributes:
        id (str):
        number (str): The number callers dial; unique across extensions and ring groups.
        display_name (str):
        enabled (bool):
        ip_auth (list[str]): Addresses (IPs or CIDRs) allowed to register and call without a password.
        max_contacts (int): Devices that may register at once; all of them ring.
        forwarding (Forwarding): Where calls to an extension go instead: a number, or `voicemail` (the extension's own
            box).
        media_mode (MediaMode): `auto`: through the media relay when a party is behind NAT or the call crosses a
            trunk; `relay`: always through the relay; `direct`: not through the relay (endpoints
            send RTP to each other) unless a party has `recording: always`.
        recording (RecordingMode): When an extension's or trunk's calls are recorded (relayed calls only; `always` puts
            the
            call through the relay).
        do_not_disturb (bool): Do-not-disturb: calls to the extension get busy handling (486, or its busy
            forwarding) without ringing; presence shows it. Feature codes `*78`/`*79` set it.
        mwi_unsolicited (bool): Message-waiting NOTIFYs without a subscription (RFC 3842 section 3.3 allows them),
            to each registered device, for phones that expect the lamp without subscribing.
        has_password (bool): Whether a digest password is set (the password itself is never returned).
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        max_calls (int | Unset): Concurrent calls (made or received) allowed; beyond it calls to the extension are
            busy (486, or its busy forwarding) and calls from it are refused (403). Absent: no limit.
        daily_trunk_calls (int | Unset): Toll-fraud guard: calls out through trunks per UTC day, at most; beyond it they
            are
            refused with 403. Absent: no limit.
        pickup_group (str | Unset): The pickup group: the group pickup code (`*8`) answers a call ringing at another
            extension of the same group. Absent: in no group.
        voicemail (VoicemailBox | Unset): An extension's voicemail box. Calls reach it through a forwarding field set to
            `voicemail`.
    """

    id: str
    number: str
    display_name: str
    enabled: bool
    ip_auth: list[str]
    max_contacts: int
    forwarding: Forwarding
    media_mode: MediaMode
    recording: RecordingMode
    do_not_disturb: bool
    mwi_unsolicited: bool
    has_password: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    max_calls: int | Unset = UNSET
    daily_trunk_calls: int | Unset = UNSET
    pickup_group: str | Unset = UNSET
    voicemail: VoicemailBox | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        number = self.number

        display_name = self.display_name

        enabled = self.enabled

        ip_auth = self.ip_auth

        max_contacts = self.max_contacts

        forwarding = self.forwarding.to_dict()

        media_mode = self.media_mode.value

        recording = self.recording.value

        do_not_disturb = self.do_not_disturb

        mwi_unsolicited = self.mwi_unsolicited

        has_password = self.has_password

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        max_calls = self.max_calls

        daily_trunk_calls = self.daily_trunk_calls

        pickup_group = self.pickup_group

        voicemail: dict[str, Any] | Unset = UNSET
        if not isinstance(self.voicemail, Unset):
            voicemail = self.voicemail.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "number": number,
                "display_name": display_name,
                "enabled": enabled,
                "ip_auth": ip_auth,
                "max_contacts": max_contacts,
                "forwarding": forwarding,
                "media_mode": media_mode,
                "recording": recording,
                "do_not_disturb": do_not_disturb,
                "mwi_unsolicited": mwi_unsolicited,
                "has_password": has_password,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if max_calls is not UNSET:
            field_dict["max_calls"] = max_calls
        if daily_trunk_calls is not UNSET:
            field_dict["daily_trunk_calls"] = daily_trunk_calls
        if pickup_group is not UNSET:
            field_dict["pickup_group"] = pickup_group
        if voicemail is not UNSET:
            field_dict["voicemail"] = voicemail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.forwarding import Forwarding  # noqa: PLC0415
        from ..models.voicemail_box import VoicemailBox  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        number = d.pop("number")

        display_name = d.pop("display_name")

        enabled = d.pop("enabled")

        ip_auth = cast(list[str], d.pop("ip_auth"))

        max_contacts = d.pop("max_contacts")

        forwarding = Forwarding.from_dict(d.pop("forwarding"))

        media_mode = MediaMode(d.pop("media_mode"))

        recording = RecordingMode(d.pop("recording"))

        do_not_disturb = d.pop("do_not_disturb")

        mwi_unsolicited = d.pop("mwi_unsolicited")

        has_password = d.pop("has_password")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        max_calls = d.pop("max_calls", UNSET)

        daily_trunk_calls = d.pop("daily_trunk_calls", UNSET)

        pickup_group = d.pop("pickup_group", UNSET)

        _voicemail = d.pop("voicemail", UNSET)
        voicemail: VoicemailBox | Unset
        if isinstance(_voicemail, Unset):
            voicemail = UNSET
        else:
            voicemail = VoicemailBox.from_dict(_voicemail)

        extension = cls(
            id=id,
            number=number,
            display_name=display_name,
            enabled=enabled,
            ip_auth=ip_auth,
            max_contacts=max_contacts,
            forwarding=forwarding,
            media_mode=media_mode,
            recording=recording,
            do_not_disturb=do_not_disturb,
            mwi_unsolicited=mwi_unsolicited,
            has_password=has_password,
            created_at=created_at,
            updated_at=updated_at,
            max_calls=max_calls,
            daily_trunk_calls=daily_trunk_calls,
            pickup_group=pickup_group,
            voicemail=voicemail,
        )

        extension.additional_properties = d
        return extension

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
