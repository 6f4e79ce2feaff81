// Export job page: polls the job's JSON status until it is done or failed, then shows the download or the error.
(function () {
  const box = document.getElementById("export-job");
  if (!box) return;
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then((r) => r.json())
      .then((job) => {
        document.getElementById("export-status").textContent = job.status_label;
        const bar = document.getElementById("export-bar");
        bar.style.width = job.progress + "%";
        bar.textContent = job.progress + "%";
        if (job.status === "done") {
          if (job.download) document.getElementById("export-done-link").href = job.download;
          document.getElementById("export-download").hidden = false;
          return;
        }
        // Queued: the request is kept (outbox) and runs when a worker is ready.
        document.getElementById("export-waiting").hidden = job.status !== "queued";
        if (job.status === "failed") {
          document.getElementById("export-error").lastChild.textContent = " " + box.dataset.failedPrefix + " " + job.error;
          document.getElementById("export-failed").hidden = false;
          return;
        }
        setTimeout(poll, 1000);
      });
  }
  if (box.dataset.status !== "done" && box.dataset.status !== "failed") poll();
})();
