namespace Accept.Training.Config;

/// <summary>A run spec (file or command-line override) that cannot be used; the message names the key and what was expected.</summary>
public sealed class SpecException(string message) : Exception(message);
