using System.Globalization;
using Accept.Training.IO;

namespace Accept.Training.Reporting;

/// <summary>Renders line-chart panels stacked vertically into a PNG (training curves per task).</summary>
public static class LineChart
{
    static readonly Rgb White = new(255, 255, 255), Ink = new(40, 40, 40), Grid = new(225, 225, 225);
    static readonly Rgb[] Palette =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40),
        new(148, 103, 189), new(140, 86, 75), new(227, 119, 194), new(127, 127, 127),
    ];

    const int Left = 70, Right = 20, Top = 30, Bottom = 40;

    public static Canvas Render(IReadOnlyList<ChartPanel> panels, int width = 800, int panelHeight = 320)
    {
        if (panels.Count == 0) throw new ArgumentException("a chart needs at least one panel", nameof(panels));
        var canvas = new Canvas(width, panelHeight * panels.Count, White);
        for (int i = 0; i < panels.Count; i++) DrawPanel(canvas, panels[i], 0, i * panelHeight, width, panelHeight);
        return canvas;
    }

    public static void SavePng(string path, IReadOnlyList<ChartPanel> panels)
    {
        AtomicFile.WriteAllBytes(path, PngEncoder.Encode(Render(panels)));
    }

    static void DrawPanel(Canvas c, ChartPanel panel, int ox, int oy, int w, int h)
    {
        int x0 = ox + Left, x1 = ox + w - Right, y0 = oy + Top, y1 = oy + h - Bottom;
        c.DrawText(ox + Left, oy + 8, panel.Title, Ink, 2);

        var points = panel.Series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Y) && double.IsFinite(p.X)).ToList();
        if (points.Count == 0)
        {
            c.DrawText(x0 + 10, (y0 + y1) / 2, "NO DATA", Ink, 2);
            return;
        }
        var (xMin, xMax) = Range(points.Select(p => p.X));
        var (yMin, yMax) = Range(points.Select(p => p.Y));

        foreach (var t in Ticks(yMin, yMax))
        {
            int py = MapY(t, yMin, yMax, y0, y1);
            c.DrawLine(x0, py, x1, py, Grid);
            var label = Format(t);
            c.DrawText(x0 - 6 - Canvas.TextWidth(label), py - 3, label, Ink);
        }
        foreach (var t in Ticks(xMin, xMax))
        {
            int px = MapX(t, xMin, xMax, x0, x1);
            c.DrawLine(px, y1, px, y1 + 4, Ink);
            var label = Format(t);
            c.DrawText(px - Canvas.TextWidth(label) / 2, y1 + 8, label, Ink);
        }
        c.DrawLine(x0, y0, x0, y1, Ink);
        c.DrawLine(x0, y1, x1, y1, Ink);
        c.DrawText((x0 + x1 - Canvas.TextWidth(panel.XLabel)) / 2, y1 + 22, panel.XLabel, Ink);

        for (int s = 0; s < panel.Series.Count; s++)
        {
            var colour = Palette[s % Palette.Length];
            var pts = panel.Series[s].Points.Where(p => double.IsFinite(p.Y) && double.IsFinite(p.X)).ToList();
            for (int i = 0; i < pts.Count; i++)
            {
                int px = MapX(pts[i].X, xMin, xMax, x0, x1), py = MapY(pts[i].Y, yMin, yMax, y0, y1);
                if (i > 0)
                    c.DrawLine(MapX(pts[i - 1].X, xMin, xMax, x0, x1), MapY(pts[i - 1].Y, yMin, yMax, y0, y1), px, py, colour, 2);
                else if (pts.Count == 1)
                    c.FillRect(px - 2, py - 2, 5, 5, colour);
            }
            // Legend, top right, one line per series.
            var name = panel.Series[s].Name;
            int lx = x1 - Canvas.TextWidth(name) - 24, ly = y0 + 6 + s * 12;
            c.FillRect(lx, ly + 2, 14, 3, colour);
            c.DrawText(lx + 18, ly, name, Ink);
        }
    }

    static (double, double) Range(IEnumerable<double> values)
    {
        double min = values.Min(), max = values.Max();
        if (max - min < 1e-12) { min -= 0.5; max += 0.5; }
        return (min, max);
    }

    static int MapX(double x, double min, double max, int a, int b) => a + (int)Math.Round((x - min) / (max - min) * (b - a));
    static int MapY(double y, double min, double max, int top, int bottom) => bottom - (int)Math.Round((y - min) / (max - min) * (bottom - top));

    /// <summary>About five round tick values (1, 2 or 5 × 10ⁿ apart) inside [min, max].</summary>
    static IEnumerable<double> Ticks(double min, double max)
    {
        double raw = (max - min) / 5, mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * mag).First(s => s >= raw);
        for (double t = Math.Ceiling(min / step) * step; t <= max + step * 1e-9; t += step) yield return t;
    }

    static string Format(double v) =>
        Math.Abs(v) >= 10000 || (Math.Abs(v) < 0.01 && v != 0)
            ? v.ToString("0.#E+0", CultureInfo.InvariantCulture)
            : v.ToString("0.###", CultureInfo.InvariantCulture);
}
