package main

import (
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// helpWidth is the column help text wraps at: the width of a default
// Windows console, where a line that runs over breaks mid-word.
const helpWidth = 80

const (
	// valueNameAnnotation holds the name help gives a flag's value: --db TỆP.
	valueNameAnnotation = "hocso:value-name"
	// groupAnnotation marks a command that only holds subcommands.
	groupAnnotation = "hocso:group"
)

// localizeHelp makes cobra speak the user's language: help pages, the help
// flag and command, and the errors of a mistyped command line. Call it once
// every command is added to root.
func (e *env) localizeHelp(root *cobra.Command) {
	// Shell completion scripts are no use in the Windows consoles our users have.
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetHelpFunc(func(c *cobra.Command, _ []string) { e.writeHelp(c.OutOrStdout(), c) })
	root.SetUsageFunc(func(c *cobra.Command) error { return e.writeUsage(c.OutOrStderr(), c) })
	root.SetFlagErrorFunc(e.flagError)
	// cobra checks required flags after the pre-run hooks, in English; this
	// checks first. A subcommand's own PersistentPreRunE would replace it.
	root.PersistentPreRunE = e.requireFlags
	help := e.helpCommand()
	root.AddCommand(help)
	root.SetHelpCommand(help)
	e.addHelpFlags(root)
}

// addHelpFlags gives c and every command under it a -h, --help flag in the
// user's language; cobra adds an English one to any command without.
func (e *env) addHelpFlags(c *cobra.Command) {
	c.Flags().BoolP("help", "h", false, e.loc.T("FlagHelpUsage", map[string]any{"Command": c.CommandPath()}))
	_ = c.Flags().SetAnnotation("help", cobra.FlagSetByCobraAnnotation, []string{"true"})
	if c.HasSubCommands() {
		c.SuggestionsMinimumDistance = 2
	}
	for _, sub := range c.Commands() {
		e.addHelpFlags(sub)
	}
}

// helpCommand is `hocso help [command]`, cobra's help command in the user's
// language; a topic that is no command is an error, not a usage page.
func (e *env) helpCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "help " + e.loc.T("HelpUseCommand"),
		Short: e.loc.T("CmdHelpShort"),
		Long:  e.loc.T("CmdHelpLong"),
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			switch {
			case err != nil:
				return e.unknownCommand(c.Root(), args[0])
			case len(rest) > 0:
				return e.unknownCommand(target, rest[0])
			}
			return target.Help()
		},
	}
}

// groupCommand makes a command that only holds subcommands. Alone it shows
// its help; followed by a word that is none of its subcommands it is an error.
func (e *env) groupCommand(use, short string) *cobra.Command {
	return &cobra.Command{
		Use:         use,
		Short:       short,
		Args:        e.noArgs,
		RunE:        func(c *cobra.Command, _ []string) error { return c.Help() },
		Annotations: map[string]string{groupAnnotation: "true"},
	}
}

// stringFlag defines a string flag and the name help gives its value.
func stringFlag(fs *pflag.FlagSet, p *string, name, short, value, def, usage string) {
	fs.StringVarP(p, name, short, def, usage)
	_ = fs.SetAnnotation(name, valueNameAnnotation, []string{value})
}

// writeHelp writes a command's help page: what it does, then its usage.
func (e *env) writeHelp(w io.Writer, c *cobra.Command) {
	text := c.Long
	if text == "" {
		text = c.Short
	}
	if text = strings.TrimSpace(text); text != "" {
		io.WriteString(w, wrap(text, 0)+"\n\n")
	}
	e.writeUsage(w, c)
}

// writeUsage writes how to call a command: its forms, subcommands and flags.
func (e *env) writeUsage(w io.Writer, c *cobra.Command) error {
	var b strings.Builder
	b.WriteString(e.loc.T("HelpUsage"))
	if c.Runnable() && c.Annotations[groupAnnotation] == "" {
		b.WriteString("\n  " + e.useLine(c))
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n  " + c.CommandPath() + " " + e.loc.T("HelpUseCommand"))
	}
	if len(c.Aliases) > 0 {
		b.WriteString("\n\n" + e.loc.T("HelpAliases") + "\n  " + c.NameAndAliases())
	}
	if c.HasExample() {
		b.WriteString("\n\n" + e.loc.T("HelpExamples") + "\n" + c.Example)
	}
	if c.HasAvailableSubCommands() {
		var rows [][2]string
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() || sub.Name() == "help" {
				rows = append(rows, [2]string{sub.Name(), sub.Short})
			}
		}
		b.WriteString("\n\n" + e.loc.T("HelpCommands"))
		writeRows(&b, rows)
	}
	if c.HasAvailableLocalFlags() {
		b.WriteString("\n\n" + e.loc.T("HelpFlags"))
		writeRows(&b, e.flagRows(c.LocalFlags()))
	}
	if c.HasAvailableInheritedFlags() {
		b.WriteString("\n\n" + e.loc.T("HelpGlobalFlags"))
		writeRows(&b, e.flagRows(c.InheritedFlags()))
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n\n" + wrap(e.loc.T("HelpMore", map[string]any{"Command": c.CommandPath()}), 0))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// useLine is how a command is typed: its path, its arguments, and a
// placeholder for flags when it has any.
func (e *env) useLine(c *cobra.Command) string {
	line := commandForm(c)
	if c.HasAvailableFlags() {
		line += " " + e.loc.T("HelpUseFlags")
	}
	return line
}

// commandForm is a command's path and arguments: hocso pack install TỆP.hocpack.
func commandForm(c *cobra.Command) string {
	line := c.CommandPath()
	if _, args, ok := strings.Cut(c.Use, " "); ok {
		line += " " + args
	}
	return line
}

// flagRows lists flags as help shows them: "-o, --output TỆP" and what it does.
func (e *env) flagRows(fs *pflag.FlagSet) [][2]string {
	var rows [][2]string
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Deprecated != "" {
			return
		}
		left := "    --" + f.Name
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			left = "-" + f.Shorthand + ", --" + f.Name
		}
		if v := valueName(f); v != "" {
			left += " " + v
		}
		usage := f.Usage
		switch {
		case f.Value.Type() == "bool" && f.DefValue == "true":
			usage += " " + e.loc.T("HelpDefaultOn")
		case f.Value.Type() == "bool", f.DefValue == "", f.DefValue == "0":
		default:
			usage += " " + e.loc.T("HelpDefault", map[string]any{"Value": f.DefValue})
		}
		rows = append(rows, [2]string{left, usage})
	})
	return rows
}

// valueName is the name help gives a flag's value, "" for a switch.
func valueName(f *pflag.Flag) string {
	if v := f.Annotations[valueNameAnnotation]; len(v) > 0 {
		return v[0]
	}
	if f.Value.Type() == "bool" {
		return ""
	}
	return "…"
}

// writeRows writes two aligned columns, the second wrapped at helpWidth.
func writeRows(b *strings.Builder, rows [][2]string) {
	width := 0
	for _, r := range rows {
		width = max(width, utf8.RuneCountInString(r[0]))
	}
	for _, r := range rows {
		left := "  " + r[0] + strings.Repeat(" ", width-utf8.RuneCountInString(r[0])) + "   "
		b.WriteString("\n" + left + wrap(r[1], utf8.RuneCountInString(left)))
	}
}

// wrap breaks text at spaces so no line passes helpWidth, given that it
// starts at column indent; the lines after the first are indented to it.
// Vietnamese in NFC takes one column a letter, so runes count columns.
func wrap(text string, indent int) string {
	width := max(helpWidth, indent+30)
	pad := strings.Repeat(" ", indent)
	var b strings.Builder
	for i, para := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString("\n" + pad)
		}
		col := indent
		for j, word := range strings.Fields(para) {
			n := utf8.RuneCountInString(word)
			switch {
			case j == 0:
			case col+1+n > width:
				b.WriteString("\n" + pad)
				col = indent
			default:
				b.WriteString(" ")
				col++
			}
			b.WriteString(word)
			col += n
		}
	}
	return b.String()
}

// noArgs refuses arguments. To a command with subcommands, an argument is
// an unknown command.
func (e *env) noArgs(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if c.HasSubCommands() {
		return e.unknownCommand(c, args[0])
	}
	return fail(e.loc.T("CLIUnexpectedArgs", map[string]any{
		"Command": c.CommandPath(), "Args": oneLine(strings.Join(args, " "))}))
}

// exactArgs wants exactly n arguments and says how the command is written.
func (e *env) exactArgs(n int) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) == n {
			return nil
		}
		return fail(e.loc.N("CLIArgCount", n, map[string]any{
			"Command": c.CommandPath(), "Got": len(args), "Usage": commandForm(c)}))
	}
}

// unknownCommand says c has no subcommand name, with the ones it may mean.
func (e *env) unknownCommand(c *cobra.Command, name string) error {
	data := map[string]any{"Command": c.CommandPath(), "Name": oneLine(name)}
	if names := c.SuggestionsFor(name); len(names) > 0 {
		for i, n := range names {
			names[i] = c.CommandPath() + " " + n
		}
		data["Suggestions"] = strings.Join(names, ", ")
		return fail(e.loc.T("CLIUnknownCommandSuggest", data))
	}
	return fail(e.loc.T("CLIUnknownCommand", data))
}

// flagError words a flag the command line got wrong, and where to look.
func (e *env) flagError(c *cobra.Command, err error) error {
	data := map[string]any{"Command": c.CommandPath()}
	var (
		notExist   *pflag.NotExistError
		needsValue *pflag.ValueRequiredError
		badValue   *pflag.InvalidValueError
		syntax     *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &notExist):
		data["Flag"] = "--" + oneLine(notExist.GetSpecifiedName())
		if notExist.GetSpecifiedShortnames() != "" {
			data["Flag"] = "-" + oneLine(notExist.GetSpecifiedName())
		}
		return fail(e.loc.T("CLIUnknownFlag", data))
	case errors.As(err, &needsValue):
		f := needsValue.GetFlag()
		data["Flag"], data["Example"] = "--"+f.Name, "--"+f.Name+" "+valueName(f)
		return fail(e.loc.T("CLIFlagNeedsValue", data))
	case errors.As(err, &badValue):
		data["Flag"], data["Value"] = "--"+badValue.GetFlag().Name, oneLine(badValue.GetValue())
		return fail(e.loc.T("CLIFlagBadValue", data))
	case errors.As(err, &syntax):
		data["Arg"] = oneLine(syntax.GetSpecifiedFlag())
		return fail(e.loc.T("CLIFlagSyntax", data))
	}
	data["Error"] = err.Error()
	return fail(e.loc.T("CLIFlagError", data))
}

// requireFlags reports a required flag that was not given.
func (e *env) requireFlags(c *cobra.Command, _ []string) error {
	if err := e.checkGlobalFlags(c); err != nil {
		return err
	}
	var missing []string
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if v := f.Annotations[cobra.BashCompOneRequiredFlag]; len(v) > 0 && v[0] == "true" && !f.Changed {
			missing = append(missing, "--"+f.Name)
		}
	})
	if len(missing) == 0 {
		return nil
	}
	return fail(e.loc.T("CLIFlagRequired", map[string]any{
		"Command": c.CommandPath(), "Flags": strings.Join(missing, ", "), "Usage": commandForm(c)}))
}
