//! `jupiter archive verify` and `jupiter archive export`: the archive from the command line,
//! for the operator and the accountant.

use crate::cli::ArchiveCommand;
use data::Store;
use std::path::Path;

type Failure = Box<dyn std::error::Error>;

pub async fn run(store: &Store, command: ArchiveCommand) -> Result<(), Failure> {
    match command {
        ArchiveCommand::Verify { email } => {
            let sender = sender_id(store, email.as_deref()).await?;
            match data::archive::verify(store, sender).await? {
                Ok(v) => println!("archive intact: {} entries in {} chains", v.entries, v.chains),
                Err(broken) => {
                    eprintln!("archive BROKEN at {broken}");
                    std::process::exit(1);
                }
            }
        }
        ArchiveCommand::Export { from, to, email, dir } => {
            if to < from {
                return Err("--to is before --from".into());
            }
            let senders = match sender_id(store, email.as_deref()).await? {
                Some(id) => vec![id],
                None => data::archive::export::senders_with_entries(store, from, to).await?,
            };
            let one = senders.len() == 1;
            for id in senders {
                let sender = data::senders::get(store.reader(), id).await?;
                let folder = match one {
                    true => dir.clone(),
                    false => dir.join(sender.email.clone().unwrap_or_else(|| format!("sender-{id}"))),
                };
                let written = export(store, id, from, to, &folder).await?;
                println!("{written} files written to {}", folder.display());
            }
        }
    }
    Ok(())
}

async fn sender_id(store: &Store, email: Option<&str>) -> Result<Option<i64>, Failure> {
    let Some(email) = email else { return Ok(None) };
    let email = data::senders::normalize_email(email)?;
    match data::senders::find_by_email(store.reader(), &email).await? {
        Some(s) => Ok(Some(s.id)),
        None => Err(format!("no sender with e-mail {email}").into()),
    }
}

/// Writes one sender's period to `folder`; how many documents.
pub async fn export(
    store: &Store,
    sender_id: i64,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    folder: &Path,
) -> Result<usize, Failure> {
    std::fs::create_dir_all(folder)?;
    let entries = data::archive::export::entries(store, sender_id, from, to).await?;
    for entry in &entries {
        let kept = data::archive::by_seq(store, sender_id, entry.seq).await?;
        std::fs::write(folder.join(entry.export_name()), &kept.bytes)?;
    }
    std::fs::write(folder.join("index.csv"), data::archive::export::index_csv(&entries)?)?;
    std::fs::write(folder.join("files.csv"), data::archive::export::files_csv(&entries)?)?;
    Ok(entries.len())
}
