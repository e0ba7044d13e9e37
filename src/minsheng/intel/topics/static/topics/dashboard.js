// The hot-topic chart: monthly counts of each topic. Data comes from the page (json_script).
(function () {
  "use strict";
  var holder = document.getElementById("topics-chart");
  var source = document.getElementById("topics-chart-data");
  if (!holder || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(holder);
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", top: 0 },
    grid: { left: 40, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", minInterval: 1 },
    series: data.series.map(function (s) {
      return { name: s.name, type: "line", smooth: true, data: s.data };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
