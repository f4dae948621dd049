"""Run by test_installed_package.py with the python of a fresh venv where docpipe-mdp was pip-installed: uses
docpipe_mdp.Client as a program would, against a real broker, and prints what happened as one JSON object.

    python installed_client_session.py ENDPOINT DOCPIPE DATA_FOLDER SEED_FILE FOLDER
"""

import json
import sys
import time

import docpipe_mdp
from docpipe_mdp import Client, Refused, WaitTimeout


def main(endpoint: str, docpipe: str, data: str, seed: str, folder: str) -> None:
    out = {"module": docpipe_mdp.__file__}
    with Client(endpoint, docpipe=docpipe, data=data, timeout=5, retry_for=20) as client:
        started = time.monotonic()
        job_id = client.submit(seed, metadata={"origin": "venv-test"})
        job = client.wait(job_id, timeout=60)
        out["file"] = {"job_id": job_id, "state": job.state, "stages_done": job.stages_done,
                       "word_count": job.results.get("word-count"), "seconds": round(time.monotonic() - started, 3)}

        job = client.wait(client.submit("Plain words from memory, four of them.".encode(), filename="memo.txt"),
                          timeout=60)
        out["bytes"] = {"state": job.state, "word_count": job.results.get("word-count")}

        many = client.submit_many([folder], progress=True)
        finals = [client.wait(j, timeout=60) for j in many.job_ids]
        out["many"] = {"files": [{"path": f.path, "job_id": f.job_id,
                                  "refusal": f.refusal.reason if f.refusal else None} for f in many.files],
                       "states": [j.state for j in finals]}

        try:
            client.submit(seed, pipeline="no-such-pipeline")
            out["unknown_pipeline"] = "accepted?"
        except Refused as error:
            out["unknown_pipeline"] = {"status": error.status, "reason": error.reason, "text": str(error)}

        stuck = client.submit(b"nobody serves this stage", filename="stuck.txt", pipeline="stuck")
        try:
            client.wait(stuck, timeout=1)
            out["wait_timeout"] = "finished?"
        except WaitTimeout as error:
            out["wait_timeout"] = {"state": error.last.state if error.last else None, "text": str(error)}

        status = client.status()
        out["status"] = {"role": status.role, "services": {s.name: s.workers for s in status.services},
                         "done": status.jobs.done}
        hits = client.search('"founding act"', limit=5)
        out["search"] = [{"id": h.id, "title": h.title, "snippet": h.snippet} for h in hits]
    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:6])
