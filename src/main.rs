use clap::Parser;

fn main() {
    let cli = techfund::cli::Cli::parse();
    if let Err(e) = techfund::app::run(cli) {
        eprintln!("error: {e}");
        std::process::exit(e.exit_code());
    }
}
