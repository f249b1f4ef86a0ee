from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FeatureCodes")


@_attrs_define
class FeatureCodes:
    """
    Attributes:
        group_pickup (str): Answer a call ringing at an extension of the caller's pickup group.
        directed_pickup (str): Followed by an extension number: answer the call ringing there.
        dnd_on (str): Do-not-disturb on for the calling extension.
        dnd_off (str): Do-not-disturb off.
        forward_on (str): Followed by a number: forward every call to it (unconditional forwarding).
        forward_off (str): Unconditional forwarding off.
        voicemail (str): The calling extension's voicemail box: the PIN, then its messages.
        voicemail_deposit (str): Followed by an extension number: leave a message in its box. A transfer, a ring
            group's fallback or a menu option reaches a box by this number too.
        park (str): Blind-transfer a call here to park it in the first free slot.
        park_first_slot (int): The first park slot; dialling a slot takes the call parked there.
        park_last_slot (int): The last park slot.
        park_timeout_s (int): Seconds a parked call waits before ringing the parker again (10–3600).
    """

    group_pickup: str
    directed_pickup: str
    dnd_on: str
    dnd_off: str
    forward_on: str
    forward_off: str
    voicemail: str
    voicemail_deposit: str
    park: str
    park_first_slot: int
    park_last_slot: int
    park_timeout_s: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        group_pickup = self.group_pickup

        directed_pickup = self.directed_pickup

        dnd_on = self.dnd_on

        dnd_off = self.dnd_off

        forward_on = self.forward_on

        forward_off = self.forward_off

        voicemail = self.voicemail

        voicemail_deposit = self.voicemail_deposit

        park = self.park

        park_first_slot = self.park_first_slot

        park_last_slot = self.park_last_slot

        park_timeout_s = self.park_timeout_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "group_pickup": group_pickup,
                "directed_pickup": directed_pickup,
                "dnd_on": dnd_on,
                "dnd_off": dnd_off,
                "forward_on": forward_on,
                "forward_off": forward_off,
                "voicemail": voicemail,
                "voicemail_deposit": voicemail_deposit,
                "park": park,
                "park_first_slot": park_first_slot,
                "park_last_slot": park_last_slot,
                "park_timeout_s": park_timeout_s,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        group_pickup = d.pop("group_pickup")

        directed_pickup = d.pop("directed_pickup")

        dnd_on = d.pop("dnd_on")

        dnd_off = d.pop("dnd_off")

        forward_on = d.pop("forward_on")

        forward_off = d.pop("forward_off")

        voicemail = d.pop("voicemail")

        voicemail_deposit = d.pop("voicemail_deposit")

        park = d.pop("park")

        park_first_slot = d.pop("park_first_slot")

        park_last_slot = d.pop("park_last_slot")

        park_timeout_s = d.pop("park_timeout_s")

        feature_codes = cls(
            group_pickup=group_pickup,
            directed_pickup=directed_pickup,
            dnd_on=dnd_on,
            dnd_off=dnd_off,
            forward_on=forward_on,
            forward_off=forward_off,
            voicemail=voicemail,
            voicemail_deposit=voicemail_deposit,
            park=park,
            park_first_slot=park_first_slot,
            park_last_slot=park_last_slot,
            park_timeout_s=park_timeout_s,
        )

        feature_codes.additional_properties = d
        return feature_codes

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
