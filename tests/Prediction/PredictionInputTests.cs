using Accept.Training.Data;
using Accept.Training.Prediction;

namespace Accept.Tests.Prediction;

[Trait("Category", "Fast")]
public sealed class PredictionInputTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("accept-predict-input-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Jsonl_and_csv_records_keep_their_fields_and_lines()
    {
        var jsonl = PredictionInput.ReadAll(Write("a.jsonl", "{\"id\": 7, \"text\": \"hi\"}\n\n{\"id\": 8, \"text\": 3.5}\n"));
        Assert.Equal([1, 3], jsonl.Select(r => r.Line));
        Assert.Equal("3.5", jsonl[1].Text("text"));
        Assert.Equal(7, jsonl[0].Fields["id"]!.GetValue<int>());

        var csv = PredictionInput.ReadAll(Write("b.csv", "id,text\n1,\"a, b\"\n2,c\n"));
        Assert.Equal(["a, b", "c"], csv.Select(r => r.Text("text")));
        Assert.Equal(3, csv[1].Line);
    }

    [Fact]
    public void A_bad_record_is_one_line_naming_file_line_and_field()
    {
        var path = Write("c.jsonl", "{\"text\": \"ok\"}\n{\"body\": \"no text\"}\n{\"text\": \"\"}\n{\"text\": [1]}\n");
        var records = PredictionInput.ReadAll(path);
        var missing = Assert.Throws<DataFormatException>(() => records[1].Text("text"));
        Assert.Equal($"{path}, line 2, field 'text': missing field (fields present: body)", missing.Message);
        Assert.Contains("line 3, field 'text': input is empty", Assert.Throws<DataFormatException>(() => records[2].Text("text")).Message);
        Assert.Contains("line 4, field 'text': expected a string, number or boolean, found Array", Assert.Throws<DataFormatException>(() => records[3].Text("text")).Message);

        var broken = Write("d.jsonl", "{\"text\": \"ok\"}\n{\"text\": \n");
        Assert.Contains($"{broken}, line 2: not valid JSON", Assert.Throws<DataFormatException>(() => PredictionInput.ReadAll(broken)).Message);
        Assert.Contains("unsupported input file type", Assert.Throws<ArgumentException>(() => PredictionInput.ReadAll(Write("e.txt", "x"))).Message);
        Assert.Contains("no records", Assert.Throws<DataFormatException>(() => PredictionInput.ReadAll(Write("f.jsonl", "\n"))).Message);
    }
}
