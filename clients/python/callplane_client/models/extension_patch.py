from __future__ import annotations

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


T = TypeVar("T", bound="ExtensionPatch")


@_attrs_define
class ExtensionPatch:
    """Body of `PATCH /api/v1/extensions/{id}`: only the fields present change.

    Attributes:
        number (str | Unset): A dialable number: digits with an optional leading `+`.
        display_name (str | Unset):
        password (str | Unset): A new password, or `null` to remove it.
        enabled (bool | Unset):
        ip_auth (list[str] | Unset):
        max_contacts (int | Unset):
        forwarding (Forwarding | Unset): Where calls to an extension go instead: a number, or `voicemail` (the
            extension's own
            box).
        max_calls (int | Unset): A new limit, or `null` to remove it.
        daily_trunk_calls (int | Unset): A new daily limit, or `null` to remove it.
        media_mode (MediaMode | Unset): `auto`: through the media relay when a party is behind NAT or the call crosses a
            trunk; `relay`: always through the relay; `direct`: not through the relay (endpoints
            send RTP to each other) unless a party has `recording: always`.
        recording (RecordingMode | Unset): When an extension's or trunk's calls are recorded (relayed calls only;
            `always` puts the
            call through the relay).
        do_not_disturb (bool | Unset):
        mwi_unsolicited (bool | Unset):
        pickup_group (str | Unset): A new pickup group, or `null` to leave the group.
        voicemail (VoicemailBox | Unset): An extension's voicemail box. Calls reach it through a forwarding field set to
            `voicemail`.
    """

    number: str | Unset = UNSET
    display_name: str | Unset = UNSET
    password: str | Unset = UNSET
    enabled: bool | Unset = UNSET
    ip_auth: list[str] | Unset = UNSET
    max_contacts: int | Unset = UNSET
    forwarding: Forwarding | Unset = UNSET
    max_calls: int | Unset = UNSET
    daily_trunk_calls: int | Unset = UNSET
    media_mode: MediaMode | Unset = UNSET
    recording: RecordingMode | Unset = UNSET
    do_not_disturb: bool | Unset = UNSET
    mwi_unsolicited: bool | Unset = UNSET
    pickup_group: str | Unset = UNSET
    voicemail: VoicemailBox | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        display_name = self.display_name

        password = self.password

        enabled = self.enabled

        ip_auth: list[str] | Unset = UNSET
        if not isinstance(self.ip_auth, Unset):
            ip_auth = self.ip_auth

        max_contacts = self.max_contacts

        forwarding: dict[str, Any] | Unset = UNSET
        if not isinstance(self.forwarding, Unset):
            forwarding = self.forwarding.to_dict()

        max_calls = self.max_calls

        daily_trunk_calls = self.daily_trunk_calls

        media_mode: str | Unset = UNSET
        if not isinstance(self.media_mode, Unset):
            media_mode = self.media_mode.value

        recording: str | Unset = UNSET
        if not isinstance(self.recording, Unset):
            recording = self.recording.value

        do_not_disturb = self.do_not_disturb

        mwi_unsolicited = self.mwi_unsolicited

        pickup_group = self.pickup_group

        voicemail: dict[str, Any] | Unset = UNSET
        if not isinstance(self.voicemail, Unset):
            voicemail = self.voicemail.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if number is not UNSET:
            field_dict["number"] = number
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if password is not UNSET:
            field_dict["password"] = password
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if ip_auth is not UNSET:
            field_dict["ip_auth"] = ip_auth
        if max_contacts is not UNSET:
            field_dict["max_contacts"] = max_contacts
        if forwarding is not UNSET:
            field_dict["forwarding"] = forwarding
        if max_calls is not UNSET:
            field_dict["max_calls"] = max_calls
        if daily_trunk_calls is not UNSET:
            field_dict["daily_trunk_calls"] = daily_trunk_calls
        if media_mode is not UNSET:
            field_dict["media_mode"] = media_mode
        if recording is not UNSET:
            field_dict["recording"] = recording
        if do_not_disturb is not UNSET:
            field_dict["do_not_disturb"] = do_not_disturb
        if mwi_unsolicited is not UNSET:
            field_dict["mwi_unsolicited"] = mwi_unsolicited
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
        number = d.pop("number", UNSET)

        display_name = d.pop("display_name", UNSET)

        password = d.pop("password", UNSET)

        enabled = d.pop("enabled", UNSET)

        ip_auth = cast(list[str], d.pop("ip_auth", UNSET))

        max_contacts = d.pop("max_contacts", UNSET)

        _forwarding = d.pop("forwarding", UNSET)
        forwarding: Forwarding | Unset
        if isinstance(_forwarding, Unset):
            forwarding = UNSET
        else:
            forwarding = Forwarding.from_dict(_forwarding)

        max_calls = d.pop("max_calls", UNSET)

        daily_trunk_calls = d.pop("daily_trunk_calls", UNSET)

        _media_mode = d.pop("media_mode", UNSET)
        media_mode: MediaMode | Unset
        if isinstance(_media_mode, Unset):
            media_mode = UNSET
        else:
            media_mode = MediaMode(_media_mode)

        _recording = d.pop("recording", UNSET)
        recording: RecordingMode | Unset
        if isinstance(_recording, Unset):
            recording = UNSET
        else:
            recording = RecordingMode(_recording)

        do_not_disturb = d.pop("do_not_disturb", UNSET)

        mwi_unsolicited = d.pop("mwi_unsolicited", UNSET)

        pickup_group = d.pop("pickup_group", UNSET)

        _voicemail = d.pop("voicemail", UNSET)
        voicemail: VoicemailBox | Unset
        if isinstance(_voicemail, Unset):
            voicemail = UNSET
        else:
            voicemail = VoicemailBox.from_dict(_voicemail)

        extension_patch = cls(
            number=number,
            display_name=display_name,
            password=password,
            enabled=enabled,
            ip_auth=ip_auth,
            max_contacts=max_contacts,
            forwarding=forwarding,
            max_calls=max_calls,
            daily_trunk_calls=daily_trunk_calls,
            media_mode=media_mode,
            recording=recording,
            do_not_disturb=do_not_disturb,
            mwi_unsolicited=mwi_unsolicited,
            pickup_group=pickup_group,
            voicemail=voicemail,
        )

        extension_patch.additional_properties = d
        return extension_patch

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
