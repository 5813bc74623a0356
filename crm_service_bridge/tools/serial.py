"""Serial numbers as people type them.

The service desk and distributors type a serial with spaces, dashes or in lower
case, or only its last characters. Every unit stores one normalised key
(letters and digits, upper case); a lookup normalises what was typed the same way.
The SQL expression in ``SERIAL_KEY_SQL`` is the same rule for the backfill.
"""

SERIAL_KEY_SQL = "upper(regexp_replace(%s, '[^[:alnum:]]', '', 'g'))"


def serial_key(text):
    """``" tr6-test 0001 "`` -> ``"TR6TEST0001"``; ``None``/empty -> ``""``."""
    if not text:
        return ""
    return "".join(char for char in text if char.isalnum()).upper()


def split_serials(text):
    """Serials of a free-text field: one per line, or separated by commas/semicolons.

    Keeps the order and what was typed (stripped); drops empty entries.
    """
    if not text:
        return []
    result = []
    for line in text.replace(";", "\n").replace(",", "\n").replace("，", "\n").splitlines():
        line = line.strip()
        if line:
            result.append(line)
    return result
