using System.Text.Json.Nodes;
using Accept.Training.IO;
using static TorchSharp.torch;

namespace Accept.Training.Export;

/// <summary>
/// Writes a prepended prompt P (m, d) as a Hugging Face PEFT prompt-tuning adapter: adapter_config.json
/// (PROMPT_TUNING, SEQ_2_SEQ_LM, one transformer submodule: the encoder input) and
/// adapter_model.safetensors with the tensor <c>prompt_embeddings</c>, loadable with
/// <c>PeftModel.from_pretrained(base, dir)</c>. PEFT has no place for an added prompt ΔE.
/// </summary>
public static class PeftPromptAdapter
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";
    public const string TensorName = "prompt_embeddings";

    /// <param name="incomplete">When set, why the adapter alone is not the trained model (kept in the weights' metadata).</param>
    public static void Write(string directory, Tensor prompt, string? baseModel, int? numLayers = null, int? numHeads = null, string? incomplete = null)
    {
        if (prompt.dim() != 2) throw new ArgumentException($"a prompt must be (m, d), got [{string.Join(",", prompt.shape)}]");
        Directory.CreateDirectory(directory);
        SafetensorsWriter.Write(Path.Combine(directory, WeightsFile), new Dictionary<string, Tensor> { [TensorName] = prompt },
            incomplete is null
                ? new Dictionary<string, string> { ["format"] = "pt" }
                : new Dictionary<string, string> { ["format"] = "pt", ["accept_adapter"] = incomplete });
        var config = new JsonObject
        {
            ["peft_type"] = "PROMPT_TUNING",
            ["task_type"] = "SEQ_2_SEQ_LM",
            ["num_virtual_tokens"] = prompt.shape[0],
            ["token_dim"] = prompt.shape[1],
            ["num_transformer_submodules"] = 1,
            ["num_attention_heads"] = numHeads,
            ["num_layers"] = numLayers,
            ["base_model_name_or_path"] = baseModel,
            ["prompt_tuning_init"] = "RANDOM",
            ["prompt_tuning_init_text"] = null,
            ["tokenizer_name_or_path"] = null,
            ["tokenizer_kwargs"] = null,
            ["inference_mode"] = true,
            ["revision"] = null,
            ["auto_mapping"] = null,
        };
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFile), config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }
}
