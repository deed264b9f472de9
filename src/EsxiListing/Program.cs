using EsxiImport.Listing.Cli;

Console.OutputEncoding = new System.Text.UTF8Encoding(false);
return await ListVmsCommand.RunAsync(args, Console.Out, Console.Error);
