from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ivr_menu_patch_options import IvrMenuPatchOptions
    from ..models.ivr_target import IvrTarget


T = TypeVar("T", bound="IvrMenuPatch")


@_attrs_define
class IvrMenuPatch:
    """
    Attributes:
        number (str | Unset): A dialable number: digits with an optional leading `+`.
        name (str | Unset):
        options (IvrMenuPatchOptions | Unset):
        timeout_s (int | Unset):
        retries (int | Unset):
        fallback (IvrTarget | Unset): Where a key (or the menu's fallback) leads.
        enabled (bool | Unset):
    """

    number: str | Unset = UNSET
    name: str | Unset = UNSET
    options: IvrMenuPatchOptions | Unset = UNSET
    timeout_s: int | Unset = UNSET
    retries: int | Unset = UNSET
    fallback: IvrTarget | Unset = UNSET
    enabled: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        name = self.name

        options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options.to_dict()

        timeout_s = self.timeout_s

        retries = self.retries

        fallback: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fallback, Unset):
            fallback = self.fallback.to_dict()

        enabled = self.enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if number is not UNSET:
            field_dict["number"] = number
        if name is not UNSET:
            field_dict["name"] = name
        if options is not UNSET:
            field_dict["options"] = options
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
        from ..models.ivr_menu_patch_options import IvrMenuPatchOptions  # noqa: PLC0415
        from ..models.ivr_target import IvrTarget  # noqa: PLC0415

        d = dict(src_dict)
        number = d.pop("number", UNSET)

        name = d.pop("name", UNSET)

        _options = d.pop("options", UNSET)
        options: IvrMenuPatchOptions | Unset
        if isinstance(_options, Unset):
            options = UNSET
        else:
            options = IvrMenuPatchOptions.from_dict(_options)

        timeout_s = d.pop("timeout_s", UNSET)

        retries = d.pop("retries", UNSET)

        _fallback = d.pop("fallback", UNSET)
        fallback: IvrTarget | Unset
        if isinstance(_fallback, Unset):
            fallback = UNSET
        else:
            fallback = IvrTarget.from_dict(_fallback)

        enabled = d.pop("enabled", UNSET)

        ivr_menu_patch = cls(
            number=number,
            name=name,
            options=options,
            timeout_s=timeout_s,
            retries=retries,
            fallback=fallback,
            enabled=enabled,
        )

        ivr_menu_patch.additional_properties = d
        return ivr_menu_patch

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
