"""The large-tenant benchmark's table (scripts/large-tenant.sh): requests to the target per phase,
from the simulator's request log ([seconds since the epoch, status] per request)."""


def print_table(requests, quota, phases, whole):
    """Prints one row per (name, start, end) in `phases`, then the row `whole` (the same shape),
    then the answered and refused counts within `whole`."""
    print(f"| phase | wall | requests to the target | answered | 429s | answered/s | share of quota ({quota:g}/s) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, start, end in phases + [whole]:
        inside = [r for r in requests if start <= r[0] < end]
        refused = sum(1 for r in inside if r[1] == 429)
        answered = len(inside) - refused
        rate = answered / max(end - start, 1e-9)
        print(f"| {name} | {end - start:.1f} s | {len(inside)} | {answered} | {refused} | {rate:.1f} | {100 * rate / quota:.0f} % |")
    _, start, end = whole
    inside = [r for r in requests if start <= r[0] < end]
    refused = sum(1 for r in inside if r[1] == 429)
    print(f"target requests: {len(inside) - refused} answered, {refused} refused "
          f"({100 * refused / max(len(inside), 1):.2f} %)")
