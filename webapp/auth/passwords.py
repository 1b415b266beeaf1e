"""Password hashing with Argon2id (a modern, memory-hard KDF)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("opspor-dummy-password")


#: One-time codes an administrator hands out are random (about 59 bits, see
#: admin.staff_import.one_time_password) and replaced at the first sign-in, so a light
#: Argon2id is enough; the person's own password gets the full cost. An import of thousands
#: of people then takes seconds, not minutes. Verification reads the cost from the hash.
_one_time_hasher = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def hash_one_time_code(code: str) -> str:
    return _one_time_hasher.hash(code)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


MIN_LENGTH = 10
MAX_LENGTH = 200

TOO_SHORT = f"Adgangskoden skal være mindst {MIN_LENGTH} tegn."
TOO_LONG = f"Adgangskoden må højst være {MAX_LENGTH} tegn."
IS_USERNAME = "Adgangskoden må ikke være dit brugernavn."
SAME_AS_OLD = "Vælg en ny adgangskode, ikke den du har nu."
NOT_EQUAL = "De to adgangskoder er ikke ens. Skriv den samme i begge felter."


def password_problems(new: str, again: str, *, username: str, same_as_old: bool) -> list[str]:
    """What is wrong with a new password, in Danish; empty when it can be used.
    ``same_as_old``: the caller's check of ``new`` against the current hash."""
    problems = []
    if len(new) < MIN_LENGTH:
        problems.append(TOO_SHORT)
    if len(new) > MAX_LENGTH:
        problems.append(TOO_LONG)
    if new and new.strip().lower() == username.strip().lower():
        problems.append(IS_USERNAME)
    if same_as_old:
        problems.append(SAME_AS_OLD)
    if new != again:
        problems.append(NOT_EQUAL)
    return problems
