package org.nabla.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Training curves as one PNG, drawn headless with XChart: a "Loss" panel with every series whose name contains
 * "loss", and a "Metrics" panel (titled after the metric when there is one, e.g. "Accuracy") with the others; a
 * {@code val_} series is drawn dashed with diamond markers, each series in its own color. Epochs run from 1 on the x axis; NaN
 * values are skipped.
 */
public final class TrainingCharts {
    private static final int PANEL_WIDTH = 640;
    private static final int PANEL_HEIGHT = 440;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)};

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private TrainingCharts() {}

    /** Writes the curves of {@code historyPerEpoch} (metric name -> value per epoch) to {@code png}, atomically. */
    public static void writePng(Path png, Map<String, double[]> historyPerEpoch) throws IOException {
        ImageInput.writePng(render(historyPerEpoch), png);
    }

    /** The chart image: one panel for the losses, one for the other metrics (when there are any). */
    public static BufferedImage render(Map<String, double[]> history) {
        if (history == null || history.isEmpty()) {
            throw new IllegalArgumentException("TrainingCharts: the history is empty (no metric recorded)");
        }
        Map<String, double[]> losses = new LinkedHashMap<>();
        Map<String, double[]> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : history.entrySet()) {
            if (e.getValue() == null) throw new IllegalArgumentException("TrainingCharts: '" + e.getKey() + "' is null");
            (e.getKey().toLowerCase(Locale.ROOT).contains("loss") ? losses : metrics).put(e.getKey(), e.getValue());
        }
        List<BufferedImage> panels = new ArrayList<>();
        if (!losses.isEmpty()) panels.add(panel("Loss", "Loss", losses));
        if (!metrics.isEmpty()) {
            String title = metricTitle(metrics);
            panels.add(panel(title, title, metrics));
        }
        BufferedImage out = new BufferedImage(PANEL_WIDTH * panels.size(), PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            for (int i = 0; i < panels.size(); i++) g.drawImage(panels.get(i), i * PANEL_WIDTH, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** "Accuracy" when every metric is an accuracy (train or validation), else "Metrics". */
    private static String metricTitle(Map<String, double[]> metrics) {
        String base = null;
        for (String k : metrics.keySet()) {
            String b = k.startsWith("val_") ? k.substring(4) : k;
            if (base == null) base = b;
            else if (!base.equals(b)) return "Metrics";
        }
        return Character.toUpperCase(base.charAt(0)) + base.substring(1).replace('_', ' ');
    }

    private static BufferedImage panel(String title, String yTitle, Map<String, double[]> series) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(title)
                .xAxisTitle("Epoch").yAxisTitle(yTitle).build();
        org.knowm.xchart.style.XYStyler st = chart.getStyler();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        if (!title.equals("Loss")) chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xdddddd));
        st.setLegendBorderColor(new Color(0xbbbbbb));
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("0.000");
        chart.getStyler().setMarkerSize(6);
        boolean any = false;
        int index = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            String key = e.getKey();
            boolean validation = key.startsWith("val_");
            String base = validation ? key.substring(4) : key;
            Color color = COLORS[index++ % COLORS.length];
            double[] v = e.getValue();
            int n = 0;
            for (double d : v) if (Double.isFinite(d)) n++;
            if (n == 0) continue;
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0, j = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) continue;
                xs[j] = i + 1;
                ys[j++] = v[i];
                lo = Math.min(lo, v[i]);
                hi = Math.max(hi, v[i]);
            }
            XYSeries s = chart.addSeries((validation ? "validation " : "training ") + base.replace('_', ' '), xs, ys);
            s.setLineColor(color);
            s.setMarkerColor(color);
            // markers help with a few epochs and only clutter many
            s.setMarker(v.length > 30 ? SeriesMarkers.NONE : validation ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
            s.setLineStyle(validation ? SeriesLines.DASH_DASH : new BasicStroke(2f));
            any = true;
        }
        if (any) {
            // a margin so that points never sit on the plot's edge (one epoch, or a flat curve)
            double pad = hi > lo ? (hi - lo) * 0.06 : Math.max(Math.abs(hi) * 0.1, 1e-3);
            st.setYAxisMin(lo - pad);
            st.setYAxisMax(hi + pad);
        } else {
            // No finite value: an empty panel that says so instead of failing the whole run.
            chart.setTitle(title + " (no values)");
            XYSeries s = chart.addSeries(" ", new double[] {1}, new double[] {0});
            s.setLineColor(Color.WHITE);
            s.setMarker(SeriesMarkers.NONE);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }
}
