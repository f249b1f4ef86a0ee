from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ivr_menu_create_options import IvrMenuCreateOptions
    from ..models.ivr_target import IvrTarget


T = TypeVar("T", bound="IvrMenuCreate")


@_attrs_define
class IvrMenuCreate:
    """
    Attributes:
        number (str): A dialable number: digits with an optional leading `+`.
        options (IvrMenuCreateOptions):
        name (str | Unset):  Default: ''.
        timeout_s (int | Unset):  Default: 5.
        retries (int | Unset):  Default: 2.
        fallback (IvrTarget | Unset): Where a key (or the menu's fallback) leads.
        enabled (bool | Unset):  Default: True.
    """

    number: str
    options: IvrMenuCreateOptions
    name: str | Unset = ""
    timeout_s: int | Unset = 5
    retries: int | Unset = 2
    fallback: IvrTarget | Unset = UNSET
    enabled: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        options = self.options.to_dict()

        name = self.name

        timeout_s = self.timeout_s

        retries = self.retries

        fallback: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fallback, Unset):
            fallback = self.fallback.to_dict()

        enabled = self.enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "number": number,
                "options": options,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if timeout_s is not UNSET:
            field_dict["timeout_s"] = timeout_s
        if retries is not UNSET:
            field_dict["retries"] = retries
        if fallback is not UNSET:
            field_dict["fallback"] = fallback
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ivr_menu_create_options import IvrMenuCreateOptions  # noqa: PLC0415
        from ..models.ivr_target import IvrTarget  # noqa: PLC0415

        d = dict(src_dict)
        number = d.pop("number")

        options = IvrMenuCreateOptions.from_dict(d.pop("options"))

        name = d.pop("name", UNSET)

        timeout_s = d.pop("timeout_s", UNSET)

        retries = d.pop("retries", UNSET)

        _fallback = d.pop("fallback", UNSET)
        fallback: IvrTarget | Unset
        if isinstance(_fallback, Unset):
            fallback = UNSET
        else:
            fallback = IvrTarget.from_dict(_fallback)

        enabled = d.pop("enabled", UNSET)

        ivr_menu_create = cls(
            number=number,
            options=options,
            name=name,
            timeout_s=timeout_s,
            retries=retries,
            fallback=fallback,
            enabled=enabled,
        )

        ivr_menu_create.additional_properties = d
        return ivr_menu_create

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
