"""Reading tailnas run files in the test scripts: a run's epoch reports and a checkpoint's tensors.

The scripts' inline Python imports this (they run from the repository root with scripts/ on PYTHONPATH),
so each reads events.jsonl and safetensors the same way.
"""
import glob
import json
import struct


def epoch_reports(events_path, torn_lines=False):
    """The epoch reports of an events.jsonl in file order, each without its wall time ("seconds").

    Every line must be a JSON event, unless `torn_lines`: then a line that does not parse (the torn tail a
    kill -9 leaves) is passed over.
    """
    reports = []
    for line in open(events_path):
        try:
            event = json.loads(line)["event"]
        except json.JSONDecodeError:
            if torn_lines:
                continue
            raise
        if event["type"] == "epoch":
            event["data"].pop("seconds")
            reports.append(event["data"])
    return reports


def by_epoch(reports):
    """Epoch reports keyed by their epoch number."""
    return {report["epoch"]: report for report in reports}


def newest_checkpoint(directory):
    """The path of the newest epoch-NNN.safetensors in a checkpoints directory."""
    return sorted(glob.glob(directory + "/epoch-*.safetensors"))[-1]


def safetensors(path):
    """A safetensors file's tensors as raw bytes by name, and its metadata."""
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    metadata = header.pop("__metadata__", {})
    tensors = {k: data[8 + n + v["data_offsets"][0]: 8 + n + v["data_offsets"][1]] for k, v in header.items()}
    return tensors, metadata
