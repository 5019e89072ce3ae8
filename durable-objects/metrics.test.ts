import { describe, expect, it } from "vitest";
import { Metrics, RecentSamples } from "./metrics";

describe("Metrics", () => {
  it("renders counters, gauges and histograms in Prometheus text format", () => {
    const m = new Metrics();
    const messages = m.counter("polycool_messages_total", "Market channel events by type");
    const connected = m.gauge("polycool_connected", "1 when every shard is connected");
    const flush = m.histogram("polycool_flush_duration_ms", "Price flush duration", [1, 10]);
    m.counter("polycool_parse_errors_total", "Frames that failed to parse");
    messages(3, { event_type: "book" });
    messages(1, { event_type: "price_change" });
    messages(2, { event_type: "book" });
    connected(1);
    flush(0.5);
    flush(7);
    flush(70);
    const text = m.render();
    expect(text).toContain("# TYPE polycool_messages_total counter");
    expect(text).toContain('polycool_messages_total{event_type="book"} 5');
    expect(text).toContain('polycool_messages_total{event_type="price_change"} 1');
    expect(text).toContain("polycool_connected 1");
    expect(text).toContain("polycool_parse_errors_total 0");
    expect(text).toContain('polycool_flush_duration_ms_bucket{le="1"} 1');
    expect(text).toContain('polycool_flush_duration_ms_bucket{le="10"} 2');
    expect(text).toContain('polycool_flush_duration_ms_bucket{le="+Inf"} 3');
    expect(text).toContain("polycool_flush_duration_ms_count 3");
    expect(m.value("polycool_messages_total", { event_type: "book" })).toBe(5);
  });

  it("escapes label values", () => {
    const m = new Metrics();
    m.counter("x_total", "x")(1, { reason: 'bad "json"\n' });
    expect(m.render()).toContain('x_total{reason="bad \\"json\\"\\n"} 1');
  });
});

describe("RecentSamples", () => {
  it("keeps a bounded window and answers quantiles", () => {
    const s = new RecentSamples(100);
    for (let i = 1; i <= 150; i++) s.add(i, i);
    expect(s.since(0)).toHaveLength(100);
    expect(s.quantile(0.5)).toBe(100);
    expect(s.quantile(0.99, 140)).toBe(150);
    expect(new RecentSamples().quantile(0.5)).toBeUndefined();
  });
});
