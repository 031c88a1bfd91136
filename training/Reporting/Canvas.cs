namespace Accept.Training.Reporting;

/// <summary>An RGB raster with the few primitives a line chart needs.</summary>
public sealed class Canvas
{
    public int Width { get; }
    public int Height { get; }
    /// <summary>Row-major RGB bytes, 3 per pixel.</summary>
    public byte[] Pixels { get; }

    public Canvas(int width, int height, Rgb background)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "canvas size must be positive");
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        FillRect(0, 0, width, height, background);
    }

    public void SetPixel(int x, int y, Rgb c)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        int i = (y * Width + x) * 3;
        Pixels[i] = c.R;
        Pixels[i + 1] = c.G;
        Pixels[i + 2] = c.B;
    }

    public void FillRect(int x, int y, int w, int h, Rgb c)
    {
        for (int yy = Math.Max(0, y); yy < Math.Min(Height, y + h); yy++)
            for (int xx = Math.Max(0, x); xx < Math.Min(Width, x + w); xx++)
                SetPixel(xx, yy, c);
    }

    /// <summary>Bresenham line, <paramref name="thickness"/> pixels wide.</summary>
    public void DrawLine(int x0, int y0, int x1, int y1, Rgb c, int thickness = 1)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
        int half = thickness / 2;
        while (true)
        {
            FillRect(x0 - half, y0 - half, thickness, thickness, c);
            if (x0 == x1 && y0 == y1) break;
            int e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }

    /// <summary>Draws <paramref name="text"/> with the built-in 5×7 font; returns the width used.</summary>
    public int DrawText(int x, int y, string text, Rgb c, int scale = 1)
    {
        int cx = x;
        foreach (var ch in text)
        {
            var rows = BitmapFont.Glyph(ch);
            for (int r = 0; r < rows.Length; r++)
                for (int col = 0; col < 5; col++)
                    if (rows[r][col] != ' ')
                        FillRect(cx + col * scale, y + r * scale, scale, scale, c);
            cx += 6 * scale;
        }
        return cx - x;
    }

    public static int TextWidth(string text, int scale = 1) => text.Length * 6 * scale;
}

public readonly record struct Rgb(byte R, byte G, byte B);
