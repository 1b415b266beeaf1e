// TOBS offline: the same parsing, scoring and choice of action as the server
// (webapp/domain/tobs.py and webapp/domain/tobs_actions.py), from the tables the server hands
// out as data (bands_as_data() and actions_as_data()). Nothing here re-types a band, a range,
// a correction or a message.
//
// A classic script: works in a page (<script src>) and in a service worker (importScripts),
// and sets self.OpsporTobs. Numbers are compared as whole hundredths, never as binary floats.
//
// Shared test vectors: tests/vectors/tobs_vectors.json, run through Python by
// tests/unit/test_tobs_vectors.py and through this file by tests/browser/test_tobs_vectors.py.
"use strict";

(function (root) {
  const SUPPORTED_VERSION = 1;

  // Form field names, in the order the server reads them.
  const INTEGER_FIELDS = ["puls", "respiration", "systolisk", "iltmaetning"];
  const SCORED_INTEGERS = ["puls", "respiration", "systolisk"];
  const TEMPERATURE = "temperatur";
  const METHOD = "maalemetode";
  const CONSCIOUSNESS = "bevidsthed";
  // The scored parameters in the server's order (TobsResult.points and .missing).
  const SCORED = ["puls", "respiration", "temperatur", "systolisk", "bevidsthed"];

  // Python's str.strip() whitespace (str.isspace), which is not String.prototype.trim's:
  // Python also strips U+001C–U+001F and U+0085, and does not strip U+FEFF.
  const SPACE =
    "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a" +
    "\\u2028\\u2029\\u202f\\u205f\\u3000";
  const TRIM = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, "g");

  const INTEGER = /^[0-9]{1,6}$/;
  const DECIMAL = /^([0-9]{1,6})(?:[.,]([0-9]+))?$/;

  const PLACES = 2; // values are kept as whole hundredths
  const UNIT = 100;

  function checkVersion(bands) {
    if (!bands || bands.version !== SUPPORTED_VERSION) {
      throw new Error(`OpsporTobs: unsupported bands version ${bands && bands.version}`);
    }
  }

  function isMissing(value) {
    return value === null || value === undefined;
  }

  function strip(value) {
    return isMissing(value) ? "" : String(value).replace(TRIM, "");
  }

  // "37.95" -> 3795, "39" -> 3900: a plain decimal with at most two places, as hundredths.
  function hundredths(text) {
    const match = /^(-?)([0-9]+)(?:\.([0-9]{0,2}))?$/.exec(String(text));
    if (match === null) {
      throw new Error(`OpsporTobs: not a decimal with at most ${PLACES} places: ${text}`);
    }
    const fraction = (match[3] || "").padEnd(PLACES, "0");
    const amount = parseInt(match[2], 10) * UNIT + parseInt(fraction, 10);
    return match[1] === "-" ? -amount : amount;
  }

  // 379 -> "37.9": whole tenths as Python's str() of a Decimal with one place.
  function tenthsText(tenths) {
    const digits = String(Math.abs(tenths)).padStart(2, "0");
    return `${tenths < 0 ? "-" : ""}${digits.slice(0, -1)}.${digits.slice(-1)}`;
  }

  function plausible(bands, field) {
    const entry = bands.parameters[field] || bands.unscored[field];
    return entry.plausible.map(hundredths);
  }

  function isPlausible(bands, field, amount) {
    const [low, high] = plausible(bands, field);
    return low <= amount && amount <= high;
  }

  function find(list, value) {
    return list.find((entry) => entry.value === value) || null;
  }

  // Like _parse_choice: [value, ok]; empty text is [null, true], an unknown word [null, false].
  function parseChoice(list, text) {
    if (!text) {
      return [null, true];
    }
    const found = find(list, text);
    return found === null ? [null, false] : [found.value, true];
  }

  // The measured temperature as Python's str(Decimal(text)): "037,50" -> "37.50".
  function decimalText(match) {
    const whole = match[1].replace(/^0+(?=[0-9])/, "");
    return match[2] === undefined ? whole : `${whole}.${match[2]}`;
  }

  // Read the TOBS form like parse_tobs: {input, errors}.
  //
  // fields: form field name -> string; missing, null and "" (after trimming) are not measured.
  // input: {puls, respiration, systolisk, iltmaetning: integer|null, temperatur: "37.5"|null
  // (the measured value, "." as separator), maalemetode: method|null, bevidsthed: level|null}.
  // errors: form field name -> the Danish message from bands.messages.
  function parse(bands, fields) {
    checkVersion(bands);
    const form = fields || {};
    const messages = bands.messages;
    const errors = {};
    const input = {};
    for (const field of INTEGER_FIELDS) {
      const text = strip(form[field]);
      input[field] = null;
      if (!text) {
        continue;
      }
      if (!INTEGER.test(text) || !isPlausible(bands, field, parseInt(text, 10) * UNIT)) {
        errors[field] = messages.integer[field];
      } else {
        input[field] = parseInt(text, 10);
      }
    }

    let temperature = null;
    const text = strip(form[TEMPERATURE]);
    if (text) {
      const match = DECIMAL.exec(text);
      if (match === null) {
        errors[TEMPERATURE] = messages.temperature_format;
      } else if (match[2] !== undefined && match[2].length > 2) {
        errors[TEMPERATURE] = messages.temperature_decimals;
      } else if (!isPlausible(bands, TEMPERATURE, hundredths(decimalText(match)))) {
        errors[TEMPERATURE] = messages.temperature_range;
      } else {
        temperature = decimalText(match);
      }
    }
    let method = null;
    if (temperature !== null) {
      const [chosen, ok] = parseChoice(bands.temperature_methods, strip(form[METHOD]));
      method = chosen;
      if (method === null) {
        errors[METHOD] = ok ? messages.method_missing : messages.method_unknown;
        temperature = null;
      }
    }
    const [level, ok] = parseChoice(bands.consciousness.levels, strip(form[CONSCIOUSNESS]));
    if (!ok) {
      errors[CONSCIOUSNESS] = messages.consciousness_unknown;
    }
    input[TEMPERATURE] = temperature;
    input[METHOD] = method;
    input[CONSCIOUSNESS] = level;
    return { input, errors };
  }

  // Like TobsInput.is_empty: nothing measured (SpO2 alone does not make a TOBS).
  function isEmpty(input) {
    return SCORED.every((field) => isMissing(input[field]));
  }

  function edge(text) {
    return text === null ? null : hundredths(text);
  }

  // Like band_for: the band holding the value; between two bands the one with more points.
  function pointsFor(bands, field, amount) {
    const list = bands.parameters[field].bands;
    for (const band of list) {
      const low = edge(band.low);
      const high = edge(band.high);
      if ((low === null || low <= amount) && (high === null || amount <= high)) {
        return band.points;
      }
    }
    for (let i = 0; i + 1 < list.length; i += 1) {
      const lower = list[i];
      const upper = list[i + 1];
      if (lower.high !== null && upper.low !== null) {
        if (edge(lower.high) < amount && amount < edge(upper.low)) {
          // Python's max() keeps the first on a tie.
          return upper.points > lower.points ? upper.points : lower.points;
        }
      }
    }
    throw new Error(`OpsporTobs: no band for ${field} ${amount}`);
  }

  // Like corrected_temperature: measured + correction, rounded half up to whole tenths.
  function correctedTenths(bands, measured, method) {
    const rounding = bands.temperature_rounding;
    if (rounding.decimals !== 1 || rounding.mode !== "half_up") {
      throw new Error("OpsporTobs: unsupported temperature rounding");
    }
    const correction = find(bands.temperature_methods, method).correction;
    const sum = hundredths(measured) + hundredths(correction);
    const tenths = Math.floor((Math.abs(sum) + 5) / 10); // half up: away from zero on a tie
    return sum < 0 ? -tenths : tenths;
  }

  // Like _check_plausible: an implausible input is a programming error, never a score.
  function checkPlausible(bands, input) {
    for (const field of INTEGER_FIELDS) {
      const value = input[field];
      if (isMissing(value)) {
        continue;
      }
      if (!Number.isInteger(value) || !isPlausible(bands, field, value * UNIT)) {
        throw new Error(`OpsporTobs: ${field} ${value} is outside the plausible range.`);
      }
    }
    const temperature = input[TEMPERATURE];
    if (!isMissing(temperature)) {
      if (!isPlausible(bands, TEMPERATURE, hundredths(temperature))) {
        throw new Error(`OpsporTobs: temperature ${temperature} is outside the plausible range.`);
      }
      if (find(bands.temperature_methods, input[METHOD]) === null) {
        throw new Error("OpsporTobs: a temperature needs a method.");
      }
    }
    const level = input[CONSCIOUSNESS];
    if (!isMissing(level) && find(bands.consciousness.levels, level) === null) {
      throw new Error(`OpsporTobs: unknown consciousness ${level}`);
    }
  }

  // Score a parsed input like score(): {points, total, complete, any_three,
  // corrected_temperature: "37.9"|null, missing: [field names]}. SpO2 is never scored.
  function score(bands, input) {
    checkVersion(bands);
    checkPlausible(bands, input);
    const found = {};
    for (const field of SCORED_INTEGERS) {
      const value = input[field];
      found[field] = isMissing(value) ? null : pointsFor(bands, field, value * UNIT);
    }
    let corrected = null;
    found[TEMPERATURE] = null;
    if (!isMissing(input[TEMPERATURE])) {
      const tenths = correctedTenths(bands, input[TEMPERATURE], input[METHOD]);
      corrected = tenthsText(tenths);
      found[TEMPERATURE] = pointsFor(bands, TEMPERATURE, tenths * 10);
    }
    const level = input[CONSCIOUSNESS];
    found[CONSCIOUSNESS] = isMissing(level) ? null : find(bands.consciousness.levels, level).points;

    const points = {};
    for (const field of SCORED) {
      points[field] = found[field];
    }
    const present = SCORED.map((field) => points[field]).filter((p) => p !== null);
    const missing = SCORED.filter((field) => points[field] === null);
    return {
      points,
      total: present.reduce((sum, p) => sum + p, 0),
      complete: missing.length === 0,
      any_three: present.includes(3),
      corrected_temperature: corrected,
      missing,
    };
  }

  function matches(row, result) {
    if (row.any_parameter_three && !result.any_three) {
      return false;
    }
    const low = row.min_score === null ? 0 : row.min_score;
    // An open top is the highest possible total, and no total is above it.
    const high = row.max_score === null ? Infinity : row.max_score;
    return low <= result.total && result.total <= high;
  }

  function priority(row) {
    return [row.urgency_rank, row.escalate ? 1 : 0, row.any_parameter_three ? 1 : 0];
  }

  function isHigher(a, b) {
    for (let i = 0; i < a.length; i += 1) {
      if (a[i] !== b[i]) {
        return a[i] > b[i];
      }
    }
    return false;
  }

  // Like choose_action: of the matching rows the most urgent, then an escalating one, then an
  // any-parameter-3 one, then the first in the table; null when no row matches.
  function choose(actions, result) {
    let best = null;
    for (const row of actions.rows) {
      if (matches(row, result) && (best === null || isHigher(priority(row), priority(best)))) {
        best = row;
      }
    }
    return best;
  }

  // Parse, score and choose in one go: {errors, empty, result, action}; result and action are
  // null while nothing scoreable is typed.
  function evaluate(bands, actions, fields) {
    const { input, errors } = parse(bands, fields);
    const empty = isEmpty(input);
    const result = empty ? null : score(bands, input);
    return { errors, empty, result, action: result === null ? null : choose(actions, result) };
  }

  // Like TobsResult.text: a partial score never passes for a complete one.
  function text(result) {
    return `TOBS-score ${result.total}${result.complete ? "" : " (ufuldstændig)"}`;
  }

  root.OpsporTobs = Object.freeze({ parse, score, choose, evaluate, text });
})(typeof self !== "undefined" ? self : globalThis);
