extension DashboardPage {
    /// The page's body: empty panels the script fills. The `data-total`, `data-stage`, `data-field`,
    /// `data-worker` and `data-job` attributes are the hooks the browser test reads, so keep them stable.
    package static let markup = #"""
        <header>
          <h1>docpipe</h1>
          <span class="meta" id="broker">connecting…</span>
          <span id="live">waiting for the first answer</span>
        </header>
        <section id="token-panel" hidden>
          <h2>API token</h2>
          <p id="token-why">This gateway wants an API token (a line of its --tokens file).</p>
          <form id="token-form">
            <input id="token-input" type="password" autocomplete="off" placeholder="token" aria-label="API token">
            <button type="submit">Use token</button>
          </form>
        </section>
        <main>
          <div>
            <section id="overview">
              <h2>Broker</h2>
              <div class="cards">
                <div class="card"><div class="label">in/s (1 min)</div><div class="value" data-total="in_per_s">-</div></div>
                <div class="card"><div class="label">out/s (1 min)</div><div class="value" data-total="out_per_s">-</div></div>
                <div class="card"><div class="label">queued</div><div class="value" data-total="queued">-</div></div>
                <div class="card"><div class="label">oldest queued</div><div class="value" data-total="oldest_queued_s">-</div></div>
                <div class="card"><div class="label">dead letters</div><div class="value" data-total="dead_letters">-</div></div>
                <div class="card"><div class="label">workers alive/known</div><div class="value" data-total="workers">-</div></div>
                <div class="card"><div class="label">jobs accepted</div><div class="value" data-total="accepted">-</div></div>
                <div class="card"><div class="label">jobs done</div><div class="value" data-total="done">-</div></div>
                <div class="card"><div class="label">jobs failed</div><div class="value" data-total="failed">-</div></div>
                <div class="card"><div class="label">jobs running</div><div class="value" data-total="running">-</div></div>
                <div class="card wide"><div class="label">end-to-end p50 / p95 / p99</div>
                  <div class="value small" data-total="end_to_end">-</div></div>
              </div>
              <div class="trend"><span class="label">jobs finished/s now</span><span id="total-spark"></span></div>
              <p class="note" id="overview-note"></p>
            </section>
            <section id="stages">
              <h2>Stages</h2>
              <div class="scroll"><table>
                <thead><tr><th>stage</th><th class="num" title="queued">queued</th><th class="num" title="in flight">infl</th>
                  <th class="num" title="oldest queued">oldest</th><th class="num">in/s</th><th class="num">out/s</th>
                  <th class="num">done</th><th class="num" title="failed">fail</th><th class="num" title="retried">retry</th>
                  <th class="num" title="dead-lettered">DLQ</th><th class="num" title="workers">wrk</th>
                  <th class="num" title="P95 lease→reply">P95</th><th title="replies per refresh, newest right">now</th></tr></thead>
                <tbody id="stage-rows"><tr><td colspan="13" class="empty">no stages yet</td></tr></tbody>
              </table></div>
            </section>
            <section id="workers">
              <h2>Workers <span class="count" id="worker-count"></span></h2>
              <div class="scroll"><table>
                <thead><tr><th>worker</th><th>service</th><th>host</th><th class="num">pid</th><th>state</th>
                  <th class="num">heartbeat</th><th class="num" title="requests held / credit">in flight</th>
                  <th class="num">done</th><th class="num">failed</th><th class="num">P95</th><th class="num">up</th></tr></thead>
                <tbody id="worker-rows"></tbody>
              </table></div>
              <p class="note" id="workers-note"></p>
            </section>
            <section id="jobs">
              <h2>Recent jobs</h2>
              <div class="scroll"><table>
                <thead><tr><th>job</th><th>name</th><th>pipeline</th><th>state</th><th>stage</th>
                  <th class="num">attempts</th><th class="num">updated</th></tr></thead>
                <tbody id="job-rows"></tbody>
              </table></div>
              <p class="note" id="jobs-note"></p>
            </section>
          </div>
          <div>
            <section id="search">
              <h2>Search the store</h2>
              <form id="search-form">
                <input id="search-input" type="search" placeholder="words, &quot;a phrase&quot;, prefix*" aria-label="search">
                <button type="submit">Search</button>
              </form>
              <ul class="results" id="search-results"></ul>
              <p class="note" id="search-note"></p>
            </section>
            <section id="detail" hidden>
              <div class="detail-head"><h2 id="detail-title">Detail</h2><a href="#" id="detail-close">close</a></div>
              <div id="detail-body"></div>
              <p class="note" id="detail-note"></p>
            </section>
            <section id="dead-letters">
              <h2>Dead letters <span class="count" id="dlq-count"></span></h2>
              <div class="scroll"><table>
                <thead><tr><th>job</th><th>stage</th><th class="num">attempts</th><th>reason</th>
                  <th class="num">failed</th></tr></thead>
                <tbody id="dlq-rows"></tbody>
              </table></div>
              <p class="note" id="dlq-note"></p>
            </section>
          </div>
        </main>
        """#
}
