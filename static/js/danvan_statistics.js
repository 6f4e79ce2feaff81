// Stacked bars of the statistics page: models and exemplars by field, continued vs new.
(function () {
  const canvas = document.getElementById("category-chart");
  const source = document.getElementById("category-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Tiếp tục thực hiện", data: data.continued, backgroundColor: "#a50f15" },
        { label: "Đăng ký mới", data: data.new, backgroundColor: "#f4a261" },
      ],
    },
    options: {
      animation: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();
