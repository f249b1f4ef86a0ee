import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cdr_page import CdrPage
from ...models.disposition import Disposition
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    number: str | Unset = UNSET,
    disposition: Disposition | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    accept: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(accept, Unset):
        headers["accept"] = accept

    params: dict[str, Any] = {}

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params["number"] = number

    json_disposition: str | Unset = UNSET
    if not isinstance(disposition, Unset):
        json_disposition = disposition.value

    params["disposition"] = json_disposition

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/cdrs",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CdrPage | Problem | None:
    if response.status_code == 200:
        response_200 = CdrPage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CdrPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    number: str | Unset = UNSET,
    disposition: Disposition | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    accept: str | Unset = UNSET,
) -> Response[CdrPage | Problem]:
    """Finished calls, oldest first; `Accept: text/csv` for CSV.

    Args:
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        number (str | Unset):
        disposition (Disposition | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        accept (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CdrPage | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        number=number,
        disposition=disposition,
        limit=limit,
        cursor=cursor,
        accept=accept,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    number: str | Unset = UNSET,
    disposition: Disposition | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    accept: str | Unset = UNSET,
) -> CdrPage | Problem | None:
    """Finished calls, oldest first; `Accept: text/csv` for CSV.

    Args:
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        number (str | Unset):
        disposition (Disposition | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        accept (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CdrPage | Problem
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        number=number,
        disposition=disposition,
        limit=limit,
        cursor=cursor,
        accept=accept,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    number: str | Unset = UNSET,
    disposition: Disposition | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    accept: str | Unset = UNSET,
) -> Response[CdrPage | Problem]:
    """Finished calls, oldest first; `Accept: text/csv` for CSV.

    Args:
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        number (str | Unset):
        disposition (Disposition | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        accept (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CdrPage | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        number=number,
        disposition=disposition,
        limit=limit,
        cursor=cursor,
        accept=accept,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    number: str | Unset = UNSET,
    disposition: Disposition | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    accept: str | Unset = UNSET,
) -> CdrPage | Problem | None:
    """Finished calls, oldest first; `Accept: text/csv` for CSV.

    Args:
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        number (str | Unset):
        disposition (Disposition | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        accept (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CdrPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            number=number,
            disposition=disposition,
            limit=limit,
            cursor=cursor,
            accept=accept,
        )
    ).parsed
