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
          document.getElementById("export-download").hidden = false;
          return;
        }
        if (job.status === "failed") {
          const e = document.getElementById("export-error");
          e.textContent = "Không xuất được dữ liệu: " + job.error;
          e.hidden = false;
          return;
        }
        setTimeout(poll, 1000);
      });
  }
  if (box.dataset.status !== "done" && box.dataset.status !== "failed") poll();
})();
