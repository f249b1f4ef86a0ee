from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.scope import Scope
from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiTokenCreate")


@_attrs_define
class ApiTokenCreate:
    """
    Attributes:
        scope (Scope): A token's scope.

            - `admin`: everything.
            - `read`: every `GET` of configuration and runtime views.
            - `calls`: live calls, click-to-call and hang-up, plus reads.
            - `events`: the event stream only.
            - `metrics`: the Prometheus metrics only (for a scraper's token).
        ttl (str | Unset): Lifetime: `3600`, `15m`, `12h`, `30d` (at most 10 years). Default: '30d'.
        description (str | Unset):  Default: ''.
    """

    scope: Scope
    ttl: str | Unset = "30d"
    description: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        scope = self.scope.value

        ttl = self.ttl

        description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "scope": scope,
            }
        )
        if ttl is not UNSET:
            field_dict["ttl"] = ttl
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scope = Scope(d.pop("scope"))

        ttl = d.pop("ttl", UNSET)

        description = d.pop("description", UNSET)

        api_token_create = cls(
            scope=scope,
            ttl=ttl,
            description=description,
        )

        api_token_create.additional_properties = d
        return api_token_create

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
