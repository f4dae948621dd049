extension DashboardPage {
    /// The live panels (broker totals, stages, workers, recent jobs, dead letters) and the poll that fills them.
    package static let scriptPanels = #"""
        // --- Live panels ---
        // OUT/s now per stage, from counter deltas between polls, as `docpipe top` draws its sparklines.
        // Time is the broker's uptime, so a slow answer does not skew a rate (and a restart starts afresh).
        function record(status, rows) {
          const now = pick(status, "uptime_s", "uptime_seconds") ?? Date.now() / 1000;
          const replies = Object.fromEntries(rows.map((r) => [r.service, (r.done || 0) + (r.failed || 0)]));
          const finished = status.jobs.done + status.jobs.failed;
          if (state.last && now > state.last.at) {
            const seconds = now - state.last.at;
            for (const [service, count] of Object.entries(replies)) {
              const before = state.last.replies[service] ?? count;
              (state.stageOut[service] ||= []).push(Math.max(0, count - before) / seconds);
              if (state.stageOut[service].length > 120) state.stageOut[service].shift();
            }
            state.totalOut.push(Math.max(0, finished - state.last.finished) / seconds);
            if (state.totalOut.length > 120) state.totalOut.shift();
          }
          state.last = { at: now, replies, finished };
        }
        function stageRows(status) {
          if (status.stages) return status.stages;
          return status.services.map((s) => ({ service: s.name, queued: s.queued, inflight: s.inflight,
            in_per_s: 0, out_per_s: 0, done: 0, failed: 0, retried: 0, dead_lettered: 0, workers: s.workers }));
        }
        function setTotal(name, value, text) {
          const el = document.querySelector('[data-total="' + name + '"]');
          el.textContent = text === undefined ? fmt.count(value) : text;
          el.dataset.value = value == null ? "" : value;
        }
        function renderStatus(status) {
          const t = status.totals || {};
          const role = status.role && status.role !== "active" ? " · " + status.role.toUpperCase() : "";
          $("broker").textContent = status.endpoint + " · broker " + status.version + " · up "
            + fmt.age(pick(status, "uptime_s", "uptime_seconds")) + role;
          setTotal("in_per_s", t.in_per_s ?? 0, fmt.rate(t.in_per_s ?? 0));
          setTotal("out_per_s", t.out_per_s ?? 0, fmt.rate(t.out_per_s ?? 0));
          setTotal("queued", t.queued ?? status.jobs.queued);
          setTotal("oldest_queued_s", t.oldest_queued_s, fmt.age(t.oldest_queued_s));
          setTotal("dead_letters", t.dead_letters ?? 0);
          setTotal("workers", status.workers, status.workers + "/" + (t.workers_known ?? status.workers));
          for (const k of ["accepted", "done", "failed", "running"]) setTotal(k, status.jobs[k]);
          const e2e = t.end_to_end_ms && t.end_to_end_ms.count > 0 ? t.end_to_end_ms : null;
          setTotal("end_to_end", e2e ? e2e.p95 : null, e2e
            ? [e2e.p50, e2e.p95, e2e.p99].map(fmt.millis).join("  /  ") : "no samples yet");
          const rows = stageRows(status);
          record(status, rows);
          $("total-spark").replaceChildren(sparkline(state.totalOut, 240, 20),
            fmt.rate(state.totalOut[state.totalOut.length - 1] || 0));
          fill($("stage-rows"), rows.map((s) => h("tr", { "data-stage": s.service },
            h("td", { "data-field": "service" }, s.service),
            num("queued", s.queued), num("inflight", s.inflight),
            num("oldest_queued_s", s.oldest_queued_s, fmt.age(s.oldest_queued_s)),
            num("in_per_s", s.in_per_s, fmt.rate(s.in_per_s)), num("out_per_s", s.out_per_s, fmt.rate(s.out_per_s)),
            num("done", s.done), num("failed", s.failed, undefined, true), num("retried", s.retried),
            num("dead_lettered", s.dead_lettered, undefined, true),
            num("workers", s.workers, undefined, false),
            num("p95_ms", p95(s.latency_ms), fmt.millis(p95(s.latency_ms))),
            h("td", {}, sparkline(state.stageOut[s.service] || [], 64, 18)))), 13, "no stages yet");
        }
        function renderWorkers(list) {
          // Stale and busy first: those are the ones an operator is looking for (as in `docpipe top`).
          const order = { stale: 0, busy: 1, idle: 2 };
          const workers = [...list.workers].sort((a, b) => (order[a.state] ?? 3) - (order[b.state] ?? 3)
            || a.service.localeCompare(b.service) || a.id.localeCompare(b.id));
          $("worker-count").textContent = "(" + workers.length + ")";
          fill($("worker-rows"), workers.map((w) => h("tr", { "data-worker": w.id },
            h("td", { class: "mono" }, w.id), h("td", { "data-field": "service" }, w.service), h("td", {}, w.host ?? "-"),
            num("pid", w.pid, w.pid ?? "-"), h("td", { "data-field": "state" }, badge(w.state)),
            num("last_heartbeat_s", w.last_heartbeat_s, fmt.age(w.last_heartbeat_s)),
            num("inflight", w.inflight,
                w.credit == null ? undefined : fmt.count(w.inflight) + " / " + fmt.count(w.credit)),
            num("done", w.done), num("failed", w.failed, undefined, true),
            num("p95_ms", p95(w.latency_ms), fmt.millis(p95(w.latency_ms))),
            num("uptime_s", w.uptime_s, fmt.age(w.uptime_s)))), 11, "no workers connected");
        }
        function renderJobs(list) {
          fill($("job-rows"), list.jobs.map((j) => h("tr", { "data-job-row": j.job_id },
            h("td", {}, jobLink(j.job_id)), h("td", { class: "wrap" }, j.name ?? "-"), h("td", {}, j.pipeline),
            h("td", { "data-field": "state" }, badge(j.state)), h("td", {}, j.stage ?? "-"),
            num("attempts", j.attempts), num("updated_at", unixSeconds(j.updated_at), ago(j.updated_at)))),
            7, "no jobs yet");
        }
        // One line, cut with an ellipsis; the whole message is the cell's tooltip.
        function reasonCell(error) {
          const text = error ? error.reason + ": " + error.message : "-";
          return h("td", { class: "cut", title: text, "data-field": "reason" }, text);
        }
        function renderDeadLetters(list) {
          $("dlq-count").textContent = "(" + fmt.count(list.total) + ")";
          fill($("dlq-rows"), list.jobs.map((d) => h("tr", { "data-dead-letter": d.job_id },
            h("td", { title: d.name ?? "" }, jobLink(d.job_id)), h("td", {}, d.stage),
            num("attempts", d.attempts),
            reasonCell(d.error),
            num("failed_at", unixSeconds(d.failed_at), ago(d.failed_at)))), 5, "none");
        }

        const panels = [
          ["/v1/status", renderStatus, "overview-note"],
          ["/v1/workers", renderWorkers, "workers-note"],
          ["/v1/jobs?limit=15", renderJobs, "jobs-note"],
          ["/v1/dead-letters?limit=20", renderDeadLetters, "dlq-note"],
        ];
        async function refresh() {
          clearTimeout(state.timer);
          const answers = await Promise.allSettled(panels.map(([path]) => api(path)));
          let unauthorized = null, failed = null;
          answers.forEach((answer, i) => {
            const [, render, note] = panels[i];
            if (answer.status === "fulfilled") {
              try { render(answer.value); $(note).textContent = ""; }
              catch (e) { $(note).textContent = "cannot show this answer: " + e.message; failed ||= e.message; }
            } else if (answer.reason instanceof Unauthorized) {
              unauthorized = answer.reason.message;
            } else {
              $(note).textContent = answer.reason.message;
              failed ||= answer.reason.message;
            }
          });
          if (unauthorized) {
            // Polling waits for a token: asking the gateway again without one changes nothing.
            askForToken(unauthorized);
            $("live").className = "down";
            $("live").textContent = "needs a token";
            return;
          }
          state.refreshes += 1;
          document.body.dataset.refreshes = state.refreshes;
          $("live").className = failed ? "down" : "ok";
          $("live").textContent = failed ? failed : "live · " + new Date().toLocaleTimeString();
          if (!state.detailDone) route();
          state.timer = setTimeout(refresh, POLL_MS);
        }
        """#
}
