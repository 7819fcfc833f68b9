import { PYTHON_LIFETIME } from './python-lifetime.js';
import { PYTHON_SANDBOX } from './python-sandbox.js';

/**
 * The script the child process runs: ties its life to its parent's and to its own deadline
 * (python-lifetime.ts), sets limits, confines itself (python-sandbox.ts), loads inputs, calls
 * transform, writes rows.
 */
export const PYTHON_HARNESS =
  PYTHON_SANDBOX +
  PYTHON_LIFETIME +
  String.raw`
import datetime, decimal, importlib.util, json, math, os, sys, traceback

def limit_memory(limit):
    if not limit:
        return
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except Exception as error:
        sys.stderr.write("hekima: memory limit not applied: %s\n" % error)

def plain(value):
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        try:
            value = value.item()
        except Exception:
            pass
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if value is not None and type(value).__name__ in ("NaTType", "NAType"):
        return None
    return value

def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        config = json.load(handle)
    tie_to_parent(config)
    limit_time(config.get("deadline_ms"))
    limit_memory(config.get("memory_bytes"))
    layers, problems = apply_sandbox(config)
    if problems and config.get("require_sandbox", True):
        report = {"ok": False, "type": "SandboxUnavailable", "message": "; ".join(problems), "frames": [], "traceback": "", "sandbox": layers}
        with open(config["result"], "w", encoding="utf-8") as handle:
            json.dump(report, handle)
        sys.exit(4)
    for problem in problems:
        sys.stderr.write("hekima: sandbox layer not applied: %s\n" % problem)
    # The contract (ADR 0023): each input is a list of dicts, one per row, whether or not pandas
    # is installed; logic that wants a DataFrame builds one (pandas.DataFrame(inputs["id"])).
    inputs = {}
    for item in config["inputs"]:
        with open(item["path"], encoding="utf-8") as handle:
            inputs[item["id"]] = [json.loads(line) for line in handle if line.strip()]
    try:
        sys.path.insert(0, os.path.dirname(config["module"]))  # helper modules beside the logic
        spec = importlib.util.spec_from_file_location("hekima_logic", config["module"])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        result = module.transform(inputs)
        if hasattr(result, "to_dict"):
            columns = [str(c) for c in result.columns]
            rows = result.to_dict("records")
        else:
            rows = [dict(row) for row in (result or [])]
            columns = []
            for row in rows:
                for key in row:
                    if key not in columns:
                        columns.append(key)
    except BaseException as error:
        frames = [{"file": f.filename, "line": f.lineno, "name": f.name, "text": f.line} for f in traceback.extract_tb(error.__traceback__)]
        if isinstance(error, SyntaxError) and error.filename:
            frames.append({"file": error.filename, "line": error.lineno, "name": "<module>", "text": error.text})
        report = {"ok": False, "type": type(error).__name__, "message": str(error), "frames": frames, "traceback": traceback.format_exc(), "sandbox": layers}
        json.dump(report, open(config["result"], "w", encoding="utf-8"))
        sys.exit(3)
    with open(config["output"], "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({str(k): plain(v) for k, v in row.items()}, default=str) + "\n")
    json.dump({"ok": True, "columns": columns, "rows": len(rows), "pandas": "pandas" in sys.modules, "sandbox": layers}, open(config["result"], "w", encoding="utf-8"))

main()
`;
