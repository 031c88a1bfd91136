namespace Accept.Training.Reporting;

/// <summary>One named curve of a chart.</summary>
public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>One chart: a title, an x-axis label and its curves.</summary>
public sealed record ChartPanel(string Title, string XLabel, IReadOnlyList<Series> Series);
