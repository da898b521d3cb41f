<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>BlockDialog</name>
    <message>
        <source>New schedule block</source>
        <translation>Nuevo bloque de programación</translation>
    </message>
    <message>
        <source>Edit schedule block</source>
        <translation>Editar bloque de programación</translation>
    </message>
    <message>
        <source>Active (plays on air)</source>
        <translation>Activo (suena en antena)</translation>
    </message>
    <message>
        <source>Day:</source>
        <translation>Día:</translation>
    </message>
    <message>
        <source>Start:</source>
        <translation>Inicio:</translation>
    </message>
    <message>
        <source>End:</source>
        <translation>Fin:</translation>
    </message>
    <message>
        <source>Playlist:</source>
        <translation>Lista:</translation>
    </message>
    <message>
        <source>{hours} h {minutes:02d} min</source>
        <translation>{hours} h {minutes:02d} min</translation>
    </message>
    <message>
        <source>Start and end are the same: the block would be empty.</source>
        <translation>El inicio y el fin coinciden: el bloque quedaría vacío.</translation>
    </message>
    <message>
        <source>Until midnight · {length}</source>
        <translation>Hasta medianoche · {length}</translation>
    </message>
    <message>
        <source>Runs past midnight, until {day} {time} · {length}</source>
        <translation>Pasa de la medianoche, hasta el {day} a las {time} · {length}</translation>
    </message>
</context>
<context>
    <name>ConnectionsDialog</name>
    <message>
        <source>Connections</source>
        <translation>Conexiones</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Añadir</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Quitar…</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;The embedded database on this computer&lt;/b&gt;&lt;/p&gt;&lt;p&gt;A local SQLite file that needs no server. It was created with a demo station the first time Station Desktop started, and media files are stored beside it.&lt;/p&gt;&lt;p&gt;File: {path}&lt;/p&gt;&lt;p&gt;To work on your hosting platform&apos;s shared MySQL or MariaDB database, add a connection.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;La base de datos integrada en este equipo&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Un archivo SQLite local que no necesita servidor. Se creó con una emisora de demostración la primera vez que se abrió Station Desktop, y los archivos de audio se guardan a su lado.&lt;/p&gt;&lt;p&gt;Archivo: {path}&lt;/p&gt;&lt;p&gt;Para trabajar con la base de datos MySQL o MariaDB compartida de su plataforma de alojamiento, añada una conexión.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Probar la conexión</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Conectar</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Deshacer cambios</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Base de datos</translation>
    </message>
    <message>
        <source>for example: Production</source>
        <translation>por ejemplo: Producción</translation>
    </message>
    <message>
        <source>MySQL / MariaDB server</source>
        <translation>Servidor MySQL / MariaDB</translation>
    </message>
    <message>
        <source>SQLite file</source>
        <translation>Archivo SQLite</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <source>Administrator: also manage servers and stations</source>
        <translation>Administrador: gestiona también servidores y emisoras</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nombre:</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>Tipo:</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Servidor:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Puerto:</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Usuario:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Contraseña:</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Base de datos:</translation>
    </message>
    <message>
        <source>Media files</source>
        <translation>Archivos de audio</translation>
    </message>
    <message>
        <source>A folder on this computer (or a mounted share)</source>
        <translation>Una carpeta de este equipo (o una unidad de red montada)</translation>
    </message>
    <message>
        <source>SFTP to each station&apos;s streaming server</source>
        <translation>SFTP al servidor de emisión de cada emisora</translation>
    </message>
    <message>
        <source>none: use the SSH agent</source>
        <translation>ninguno: usar el agente SSH</translation>
    </message>
    <message>
        <source>Storage:</source>
        <translation>Almacenamiento:</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Carpeta:</translation>
    </message>
    <message>
        <source>SFTP user:</source>
        <translation>Usuario SFTP:</translation>
    </message>
    <message>
        <source>Key file:</source>
        <translation>Archivo de clave:</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Archivo:</translation>
    </message>
    <message>
        <source>/path/to/station.db</source>
        <translation>/ruta/a/emisora.db</translation>
    </message>
    <message>
        <source>where the servers&apos; /audio folder is mounted</source>
        <translation>donde está montada la carpeta /audio de los servidores</translation>
    </message>
    <message>
        <source>Embedded database</source>
        <translation>Base de datos integrada</translation>
    </message>
    <message>
        <source>{name} · connected</source>
        <translation>{name} · conectada</translation>
    </message>
    <message>
        <source>The SQLite database on this computer, with the demo station</source>
        <translation>La base de datos SQLite de este equipo, con la emisora de demostración</translation>
    </message>
    <message>
        <source>stored in the keyring; type to replace it</source>
        <translation>guardada en el llavero; escriba otra para sustituirla</translation>
    </message>
    <message>
        <source>Saved {name}.</source>
        <translation>{name} guardada.</translation>
    </message>
    <message>
        <source>The embedded database does not exist yet; it is created when you connect.</source>
        <translation>La base de datos integrada aún no existe; se crea al conectar.</translation>
    </message>
    <message>
        <source>Connecting to {where}…</source>
        <translation>Conectando con {where}…</translation>
    </message>
    <message>
        <source>The server answered, but this database cannot be used as it is: {problem}</source>
        <translation>El servidor respondió, pero esta base de datos no se puede usar tal como está: {problem}</translation>
    </message>
    <message>
        <source>Could not connect: {problem}</source>
        <translation>No se pudo conectar: {problem}</translation>
    </message>
    <message>
        <source>Connected to {where}. The schema is up to date (revision {revision}).</source>
        <translation>Conectado con {where}. El esquema está al día (revisión {revision}).</translation>
    </message>
    <message>
        <source>Enter the database server&apos;s host name or IP address (for example db.example.net).</source>
        <translation>Escriba el nombre o la dirección IP del servidor de la base de datos (por ejemplo db.example.net).</translation>
    </message>
    <message>
        <source>The port must be between 1 and 65535.</source>
        <translation>El puerto debe estar entre 1 y 65535.</translation>
    </message>
    <message>
        <source>Enter the database user name.</source>
        <translation>Escriba el nombre de usuario de la base de datos.</translation>
    </message>
    <message>
        <source>Give the full path of the media folder.</source>
        <translation>Indique la ruta completa de la carpeta de audio.</translation>
    </message>
    <message>
        <source>Enter the user that logs in to the servers over SFTP.</source>
        <translation>Escriba el usuario con el que se entra en los servidores por SFTP.</translation>
    </message>
    <message>
        <source>Give the full path of the SSH key file.</source>
        <translation>Indique la ruta completa del archivo de clave SSH.</translation>
    </message>
    <message>
        <source>Give the connection a name.</source>
        <translation>Ponga un nombre a la conexión.</translation>
    </message>
    <message>
        <source>Another connection is already called {name}; choose another name.</source>
        <translation>Ya hay otra conexión llamada {name}; elija otro nombre.</translation>
    </message>
    <message>
        <source>Enter the name of the database (for example radio).</source>
        <translation>Escriba el nombre de la base de datos (por ejemplo radio).</translation>
    </message>
    <message>
        <source>Choose the SQLite database file (its full path).</source>
        <translation>Elija el archivo de base de datos SQLite (su ruta completa).</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>Nueva conexión</translation>
    </message>
    <message>
        <source>Remove connection</source>
        <translation>Quitar la conexión</translation>
    </message>
    <message>
        <source>Remove the connection {name}? Its password is deleted from the keyring. The database itself is not touched.</source>
        <translation>¿Quitar la conexión {name}? Su contraseña se borra del llavero. La base de datos en sí no se toca.</translation>
    </message>
    <message>
        <source>SQLite database file</source>
        <translation>Archivo de base de datos SQLite</translation>
    </message>
    <message>
        <source>SQLite databases (*.db *.sqlite *.sqlite3)</source>
        <translation>Bases de datos SQLite (*.db *.sqlite *.sqlite3)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Media folder</source>
        <translation>Carpeta de audio</translation>
    </message>
    <message>
        <source>SSH private key</source>
        <translation>Clave privada SSH</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <translation>Panel</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>Mountpoint</source>
        <translation>Punto de montaje</translation>
    </message>
    <message>
        <source>Bitrates</source>
        <translation>Tasas de bits</translation>
    </message>
    <message>
        <source>AutoDJ</source>
        <translation>AutoDJ</translation>
    </message>
    <message>
        <source>Live input</source>
        <translation>Entrada en directo</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zona horaria</translation>
    </message>
    <message>
        <source>Storage quota</source>
        <translation>Cuota de almacenamiento</translation>
    </message>
    <message>
        <source>Stream status</source>
        <translation>Estado de la emisión</translation>
    </message>
    <message>
        <source>Playlist</source>
        <translation>Lista</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Tracks</source>
        <translation>Pistas</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Día</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Horario</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Activo</translation>
    </message>
    <message>
        <source>Playlists</source>
        <translation>Listas de reproducción</translation>
    </message>
    <message>
        <source>Weekly schedule</source>
        <translation>Programación semanal</translation>
    </message>
    <message>
        <source>not assigned to a server yet</source>
        <translation>aún sin servidor asignado</translation>
    </message>
    <message>
        <source>on, {mode}, crossfade {seconds} s</source>
        <translation>activado, {mode}, fundido de {seconds} s</translation>
    </message>
    <message>
        <source>off</source>
        <translation>desactivado</translation>
    </message>
    <message>
        <source>enabled on port {port}</source>
        <translation>activada en el puerto {port}</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>desactivada</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <source>{bitrate} kbps</source>
        <translation>{bitrate} kbps</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
</context>
<context>
    <name>ImportPanel</name>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Looking at the files…</source>
        <translation>Revisando los archivos…</translation>
    </message>
    <message>
        <source>%v of %m</source>
        <translation>%v de %m</translation>
    </message>
    <message>
        <source>Importing {name}</source>
        <translation>Importando {name}</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <source>Cancelling: finishing the files in progress…</source>
        <translation>Cancelando: terminando los archivos en curso…</translation>
    </message>
</context>
<context>
    <name>ImportReport</name>
    <message>
        <source>imported: %n</source>
        <translation>importados: %n</translation>
    </message>
    <message>
        <source>duplicates: %n</source>
        <translation>duplicados: %n</translation>
    </message>
    <message>
        <source>errors: %n</source>
        <translation>errores: %n</translation>
    </message>
    <message>
        <source>cancelled: %n</source>
        <translation>cancelados: %n</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <source>Import report</source>
        <translation>Informe de importación</translation>
    </message>
    <message>
        <source>The import was cancelled. {summary}.</source>
        <translation>Se canceló la importación. {summary}.</translation>
    </message>
    <message>
        <source>Import finished. {summary}.</source>
        <translation>Importación terminada. {summary}.</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Archivo</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>Copiar el informe</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Importado</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplicado</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Rotation</source>
        <translation>Rotación</translation>
    </message>
    <message>
        <source>Special</source>
        <translation>Especial</translation>
    </message>
    <message>
        <source>Jingles</source>
        <translation>Cuñas</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Activo</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inactivo</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>En línea</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation>Mantenimiento</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Aleatorio</translation>
    </message>
    <message>
        <source>Sequential</source>
        <translation>Secuencial</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>Procesando</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Lista</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Falta</translation>
    </message>
</context>
<context>
    <name>LibraryModel</name>
    <message>
        <source>Cover</source>
        <translation>Portada</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Título</translation>
    </message>
    <message>
        <source>Artist</source>
        <translation>Artista</translation>
    </message>
    <message>
        <source>Album</source>
        <translation>Álbum</translation>
    </message>
    <message>
        <source>Genre</source>
        <translation>Género</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Año</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <source>Bitrate</source>
        <translation>Tasa de bits</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>The import failed; no reason was recorded.</source>
        <translation>La importación falló; no se registró el motivo.</translation>
    </message>
    <message>
        <source>No title tag: the file name is shown ({name})</source>
        <translation>Sin etiqueta de título: se muestra el nombre del archivo ({name})</translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <source>Library</source>
        <translation>Biblioteca</translation>
    </message>
    <message>
        <source>Search title, artist, album, genre or file name (Ctrl+F)</source>
        <translation>Buscar por título, artista, álbum, género o nombre de archivo (Ctrl+F)</translation>
    </message>
    <message>
        <source>All tracks</source>
        <translation>Todas las pistas</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Lista</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>Procesando</translation>
    </message>
    <message>
        <source>With errors</source>
        <translation>Con errores</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importar…</translation>
    </message>
    <message>
        <source>No station selected.</source>
        <translation>No hay ninguna emisora seleccionada.</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>Import &amp;files…</source>
        <translation>Importar &amp;archivos…</translation>
    </message>
    <message>
        <source>Import a f&amp;older…</source>
        <translation>Importar una &amp;carpeta…</translation>
    </message>
    <message>
        <source>&amp;Edit tags…</source>
        <translation>&amp;Editar etiquetas…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Borrar…</translation>
    </message>
    <message>
        <source>Not connected to a database.</source>
        <translation>Sin conexión a ninguna base de datos.</translation>
    </message>
    <message>
        <source>No station selected. Choose one in the station switcher at the top of the window.</source>
        <translation>No hay ninguna emisora seleccionada. Elija una en el selector de emisoras, arriba en la ventana.</translation>
    </message>
    <message>
        <source>This station&apos;s library is empty.
Drop audio files or folders here, or use Import (Ctrl+I).</source>
        <translation>La biblioteca de esta emisora está vacía.
Suelte aquí archivos o carpetas de audio, o use Importar (Ctrl+I).</translation>
    </message>
    <message>
        <source>{used} of {quota} used ({percent} %)</source>
        <translation>{used} usados de {quota} ({percent} %)</translation>
    </message>
    <message>
        <source>{free} free of the station&apos;s quota</source>
        <translation>{free} libres de la cuota de la emisora</translation>
    </message>
    <message>
        <source>{shown} of {total} tracks</source>
        <translation>{shown} de {total} pistas</translation>
    </message>
    <message>
        <source>1 track</source>
        <translation>1 pista</translation>
    </message>
    <message>
        <source>{count} tracks</source>
        <translation>{count} pistas</translation>
    </message>
    <message>
        <source>No track matches the search.</source>
        <translation>Ninguna pista coincide con la búsqueda.</translation>
    </message>
    <message>
        <source>The library could not be read</source>
        <translation>No se pudo leer la biblioteca</translation>
    </message>
    <message>
        <source>Too many tracks selected</source>
        <translation>Demasiadas pistas seleccionadas</translation>
    </message>
    <message>
        <source>Select at most {count} tracks at a time.</source>
        <translation>Seleccione como máximo {count} pistas a la vez.</translation>
    </message>
    <message>
        <source>Still loading</source>
        <translation>Todavía cargando</translation>
    </message>
    <message>
        <source>Some of the selected tracks are still loading; try again in a moment.</source>
        <translation>Algunas de las pistas seleccionadas aún se están cargando; inténtelo de nuevo en un momento.</translation>
    </message>
    <message>
        <source>Delete “{title}”?</source>
        <translation>¿Borrar «{title}»?</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n tracks?</source>
        <translation>
            <numerusform>¿Borrar %n pista?</numerusform>
            <numerusform>¿Borrar %n pistas?</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete tracks</source>
        <translation>Borrar pistas</translation>
    </message>
    <message>
        <source>They are removed from the library and from every playlist that contains them. This cannot be undone.</source>
        <translation>Se quitan de la biblioteca y de todas las listas que las contienen. Esto no se puede deshacer.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Nothing was deleted</source>
        <translation>No se borró nada</translation>
    </message>
    <message>
        <source>{reason}
The list was reloaded; check the tracks and delete again.</source>
        <translation>{reason}
Se ha recargado la lista; revise las pistas y vuelva a borrar.</translation>
    </message>
    <message>
        <source>“{title}” was deleted.</source>
        <translation>Se borró «{title}».</translation>
    </message>
    <message numerus="yes">
        <source>%n tracks were deleted.</source>
        <translation>
            <numerusform>Se borró %n pista.</numerusform>
            <numerusform>Se borraron %n pistas.</numerusform>
        </translation>
    </message>
    <message>
        <source>• {playlist}: {count}</source>
        <translation>• {playlist}: {count}</translation>
    </message>
    <message>
        <source>They were taken out of these playlists (tracks removed):
{playlists}</source>
        <translation>Se quitaron de estas listas (pistas quitadas):
{playlists}</translation>
    </message>
    <message>
        <source>They were in no playlist.</source>
        <translation>No estaban en ninguna lista.</translation>
    </message>
    <message>
        <source>Tracks deleted</source>
        <translation>Pistas borradas</translation>
    </message>
    <message>
        <source>Import audio files</source>
        <translation>Importar archivos de audio</translation>
    </message>
    <message>
        <source>Audio files ({patterns})</source>
        <translation>Archivos de audio ({patterns})</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Import a folder (with its subfolders)</source>
        <translation>Importar una carpeta (con sus subcarpetas)</translation>
    </message>
    <message>
        <source>Nothing to import into</source>
        <translation>No hay dónde importar</translation>
    </message>
    <message>
        <source>Choose a station first, then import its files.</source>
        <translation>Elija antes una emisora y después importe sus archivos.</translation>
    </message>
    <message>
        <source>An import is running</source>
        <translation>Hay una importación en curso</translation>
    </message>
    <message>
        <source>Wait for the current import to finish (or cancel it), then import these.</source>
        <translation>Espere a que termine la importación en curso (o cancélela) y después importe estos.</translation>
    </message>
    <message>
        <source>Importing is not available</source>
        <translation>La importación no está disponible</translation>
    </message>
    <message>
        <source>This version cannot import files into this database.</source>
        <translation>Esta versión no puede importar archivos en esta base de datos.</translation>
    </message>
    <message>
        <source>The files were not imported</source>
        <translation>Los archivos no se importaron</translation>
    </message>
</context>
<context>
    <name>LivePage</name>
    <message>
        <source>Live</source>
        <translation>En directo</translation>
    </message>
    <message>
        <source>What a DJ enters in BUTT or Mixxx. The full live page (showing and copying the password, regenerating it, connection guides, whether a DJ is on air, past sessions) arrives in a later version.</source>
        <translation>Lo que un DJ escribe en BUTT o Mixxx. La página completa de directo (ver y copiar la contraseña, generar otra, guías de conexión, si hay un DJ en antena, sesiones anteriores) llegará en una versión posterior.</translation>
    </message>
    <message>
        <source>Live input</source>
        <translation>Entrada en directo</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Puerto</translation>
    </message>
    <message>
        <source>Mount</source>
        <translation>Montaje</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <source>{station} is not assigned to a streaming server yet, so it has no live input.</source>
        <translation>{station} aún no tiene servidor de emisión asignado, así que no tiene entrada en directo.</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>activada</translation>
    </message>
    <message>
        <source>disabled in the stream settings</source>
        <translation>desactivada en los ajustes de emisión</translation>
    </message>
    <message>
        <source>{dots} (hidden)</source>
        <translation>{dots} (oculta)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Station Desktop</source>
        <translation>Station Desktop</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <source>No stations</source>
        <translation>No hay emisoras</translation>
    </message>
    <message>
        <source>The station every page shows</source>
        <translation>La emisora que muestran todas las páginas</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Emisora</translation>
    </message>
    <message>
        <source>Station:</source>
        <translation>Emisora:</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>Administración</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Connections…</source>
        <translation>&amp;Conexiones…</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Recargar</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Deshacer</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rehacer</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <source>Open &amp;Log Folder</source>
        <translation>Abrir la carpeta de &amp;registros</translation>
    </message>
    <message>
        <source>&amp;About Station Desktop</source>
        <translation>&amp;Acerca de Station Desktop</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>El del sistema</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <source>Not connected: {problem}</source>
        <translation>Sin conexión: {problem}</translation>
    </message>
    <message>
        <source>Could not open the database</source>
        <translation>No se pudo abrir la base de datos</translation>
    </message>
    <message>
        <source>About Station Desktop</source>
        <translation>Acerca de Station Desktop</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Station Desktop {version}&lt;/h3&gt;&lt;p&gt;Run internet-radio stations: library, playlists, schedule, live DJs and statistics, on Icecast and Liquidsoap.&lt;/p&gt;&lt;p&gt;Licence: {licence}. You may share and change it under the terms of the GNU General Public License, version 3 or later.&lt;/p&gt;&lt;p&gt;&lt;small&gt;Qt {qt} · PySide6 {pyside} · Python {python}&lt;/small&gt;&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Station Desktop {version}&lt;/h3&gt;&lt;p&gt;Gestione emisoras de radio por internet: biblioteca, listas de reproducción, programación, DJ en directo y estadísticas, con Icecast y Liquidsoap.&lt;/p&gt;&lt;p&gt;Licencia: {licence}. Puede compartirlo y modificarlo según los términos de la Licencia Pública General de GNU, versión 3 o posterior.&lt;/p&gt;&lt;p&gt;&lt;small&gt;Qt {qt} · PySide6 {pyside} · Python {python}&lt;/small&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>The new language applies the next time you start Station Desktop.</source>
        <translation>El nuevo idioma se aplicará la próxima vez que abra Station Desktop.</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrador</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>operador</translation>
    </message>
    <message>
        <source>Embedded database on this computer</source>
        <translation>Base de datos integrada en este equipo</translation>
    </message>
    <message>
        <source>{profile} ({url})</source>
        <translation>{profile} ({url})</translation>
    </message>
    <message>
        <source>Connected: {where} · {role}</source>
        <translation>Conectado: {where} · {role}</translation>
    </message>
    <message>
        <source>The operation failed</source>
        <translation>La operación falló</translation>
    </message>
    <message>
        <source>Could not open the log folder</source>
        <translation>No se pudo abrir la carpeta de registros</translation>
    </message>
    <message>
        <source>The log files are in {folder}</source>
        <translation>Los archivos de registro están en {folder}</translation>
    </message>
</context>
<context>
    <name>MetadataEditor</name>
    <message numerus="yes">
        <source>Edit %n tracks</source>
        <translation>
            <numerusform>Editar %n pista</numerusform>
            <numerusform>Editar %n pistas</numerusform>
        </translation>
    </message>
    <message>
        <source>Edit track</source>
        <translation>Editar la pista</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Título:</translation>
    </message>
    <message>
        <source>&amp;Artist:</source>
        <translation>&amp;Artista:</translation>
    </message>
    <message>
        <source>Al&amp;bum:</source>
        <translation>Ál&amp;bum:</translation>
    </message>
    <message>
        <source>&amp;Genre:</source>
        <translation>&amp;Género:</translation>
    </message>
    <message>
        <source>&amp;Year:</source>
        <translation>A&amp;ño:</translation>
    </message>
    <message>
        <source>Fields you leave as they are keep each track&apos;s own value; what you type replaces it on every selected track.</source>
        <translation>Los campos que deje como están conservan el valor de cada pista; lo que escriba lo sustituye en todas las pistas seleccionadas.</translation>
    </message>
    <message>
        <source>{file} · {format} · {duration} · {bitrate}</source>
        <translation>{file} · {format} · {duration} · {bitrate}</translation>
    </message>
    <message numerus="yes">
        <source>%n tracks selected.</source>
        <translation>
            <numerusform>%n pista seleccionada.</numerusform>
            <numerusform>%n pistas seleccionadas.</numerusform>
        </translation>
    </message>
    <message>
        <source>(multiple values)</source>
        <translation>(varios valores)</translation>
    </message>
    <message>
        <source>{reason}
The tracks were reloaded with the other change; your edits are still here. Save again to apply them.</source>
        <translation>{reason}
Se han recargado las pistas con el otro cambio; sus modificaciones siguen aquí. Guarde de nuevo para aplicarlas.</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <source>The operation failed</source>
        <translation>La operación falló</translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <source>Dashboard</source>
        <translation>Panel</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Biblioteca</translation>
    </message>
    <message>
        <source>Playlists</source>
        <translation>Listas de reproducción</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Programación</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>En directo</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>Estadísticas</translation>
    </message>
    <message>
        <source>Stream settings</source>
        <translation>Ajustes de emisión</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>Servidores</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>Emisoras</translation>
    </message>
</context>
<context>
    <name>PlaylistCommands</name>
    <message>
        <source>Playlist “{name}” was changed by someone else since your edit, so it cannot be undone or redone safely. Nothing was changed.</source>
        <translation>Otra persona cambió la lista «{name}» después de su edición, así que no se puede deshacer ni rehacer con seguridad. No se cambió nada.</translation>
    </message>
    <message>
        <source>The playlist no longer exists; nothing was changed.</source>
        <translation>La lista ya no existe; no se cambió nada.</translation>
    </message>
    <message>
        <source>Add {tracks}</source>
        <translation>Añadir {tracks}</translation>
    </message>
    <message>
        <source>Remove {tracks}</source>
        <translation>Quitar {tracks}</translation>
    </message>
    <message>
        <source>Create playlist “{name}”</source>
        <translation>Crear la lista «{name}»</translation>
    </message>
    <message>
        <source>Playlist “{name}” has tracks or schedule blocks that were not added here, so undoing its creation would delete them. Delete it yourself if you mean to.</source>
        <translation>La lista «{name}» tiene pistas o bloques de programación que no se añadieron aquí, así que deshacer su creación los borraría. Bórrela usted si es lo que quiere.</translation>
    </message>
    <message>
        <source>Edit playlist “{name}”</source>
        <translation>Editar la lista «{name}»</translation>
    </message>
    <message>
        <source>Playlist “{name}” was edited by someone else since; nothing was changed.</source>
        <translation>Otra persona ha editado la lista «{name}» desde entonces; no se cambió nada.</translation>
    </message>
    <message>
        <source>Make “{name}” the main playlist</source>
        <translation>Hacer de «{name}» la lista principal</translation>
    </message>
</context>
<context>
    <name>PlaylistDialog</name>
    <message>
        <source>New playlist</source>
        <translation>Nueva lista</translation>
    </message>
    <message>
        <source>Edit playlist</source>
        <translation>Editar la lista</translation>
    </message>
    <message>
        <source>For example: Morning rotation</source>
        <translation>Por ejemplo: Rotación de mañana</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nombre:</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>Tipo:</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>Descripción:</translation>
    </message>
    <message>
        <source>This is the station&apos;s main playlist, which must be a rotation playlist: with another type it stops being the main one.</source>
        <translation>Es la lista principal de la emisora, que debe ser de rotación: con otro tipo deja de ser la principal.</translation>
    </message>
</context>
<context>
    <name>PlaylistItemsModel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Título</translation>
    </message>
    <message>
        <source>Artist</source>
        <translation>Artista</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>This track is no longer in the library; it is skipped on air.</source>
        <translation>Esta pista ya no está en la biblioteca; se salta en antena.</translation>
    </message>
    <message>
        <source>Not ready yet (status: {status}): skipped on air until it is.</source>
        <translation>Aún no está lista (estado: {status}): se salta en antena hasta que lo esté.</translation>
    </message>
</context>
<context>
    <name>Playlists</name>
    <message>
        <source>%n track</source>
        <translation>%n pista</translation>
    </message>
    <message>
        <source>%n tracks</source>
        <translation>%n pistas</translation>
    </message>
</context>
<context>
    <name>PlaylistsPage</name>
    <message>
        <source>Playlist</source>
        <translation>Lista</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Tracks</source>
        <translation>Pistas</translation>
    </message>
    <message>
        <source>&amp;New…</source>
        <translation>&amp;Nueva…</translation>
    </message>
    <message>
        <source>Create a playlist</source>
        <translation>Crear una lista</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Editar…</translation>
    </message>
    <message>
        <source>Rename the playlist, change its type or description</source>
        <translation>Cambiar el nombre, el tipo o la descripción de la lista</translation>
    </message>
    <message>
        <source>Make &amp;main</source>
        <translation>Hacer &amp;principal</translation>
    </message>
    <message>
        <source>Make this the station&apos;s main playlist (what AutoDJ plays when no schedule block does)</source>
        <translation>Hacer de esta la lista principal de la emisora (la que suena con AutoDJ cuando no hay ningún bloque programado)</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Borrar…</translation>
    </message>
    <message>
        <source>Delete the playlist</source>
        <translation>Borrar la lista</translation>
    </message>
    <message>
        <source>Playlists</source>
        <translation>Listas de reproducción</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>&amp;Add tracks…</source>
        <translation>&amp;Añadir pistas…</translation>
    </message>
    <message>
        <source>Search the library and add tracks (or drag them here from the Library)</source>
        <translation>Buscar en la biblioteca y añadir pistas (o arrastrarlas aquí desde la Biblioteca)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>Remove the selected tracks from the playlist (Delete)</source>
        <translation>Quitar de la lista las pistas seleccionadas (Supr)</translation>
    </message>
    <message>
        <source>&amp;Shuffle</source>
        <translation>&amp;Mezclar</translation>
    </message>
    <message>
        <source>Put the tracks in random order</source>
        <translation>Poner las pistas en orden aleatorio</translation>
    </message>
    <message>
        <source>Sort</source>
        <translation>Ordenar</translation>
    </message>
    <message>
        <source>By title (A to Z)</source>
        <translation>Por título (de la A a la Z)</translation>
    </message>
    <message>
        <source>By title (Z to A)</source>
        <translation>Por título (de la Z a la A)</translation>
    </message>
    <message>
        <source>By artist</source>
        <translation>Por artista</translation>
    </message>
    <message>
        <source>By duration, shortest first</source>
        <translation>Por duración, primero las más cortas</translation>
    </message>
    <message>
        <source>By duration, longest first</source>
        <translation>Por duración, primero las más largas</translation>
    </message>
    <message>
        <source>S&amp;ort</source>
        <translation>&amp;Ordenar</translation>
    </message>
    <message>
        <source>No database is open.</source>
        <translation>No hay ninguna base de datos abierta.</translation>
    </message>
    <message>
        <source>No station is selected.</source>
        <translation>No hay ninguna emisora seleccionada.</translation>
    </message>
    <message>
        <source>Could not undo or redo</source>
        <translation>No se pudo deshacer ni rehacer</translation>
    </message>
    <message>
        <source>The undo history was cleared.</source>
        <translation>Se ha vaciado el historial para deshacer.</translation>
    </message>
    <message>
        <source>Could not load the playlists</source>
        <translation>No se pudieron cargar las listas</translation>
    </message>
    <message>
        <source>Could not open the playlist</source>
        <translation>No se pudo abrir la lista</translation>
    </message>
    <message>
        <source>No playlist selected</source>
        <translation>No hay ninguna lista seleccionada</translation>
    </message>
    <message>
        <source>Create one with New…</source>
        <translation>Cree una con Nueva…</translation>
    </message>
    <message>
        <source>Select a playlist on the left.</source>
        <translation>Seleccione una lista a la izquierda.</translation>
    </message>
    <message>
        <source>main playlist</source>
        <translation>lista principal</translation>
    </message>
    <message>
        <source>total {duration}</source>
        <translation>total {duration}</translation>
    </message>
    <message>
        <source>This playlist is empty. Drag tracks here from the Library, or use Add tracks….</source>
        <translation>Esta lista está vacía. Arrastre pistas aquí desde la Biblioteca o use Añadir pistas….</translation>
    </message>
    <message>
        <source>The change was not saved</source>
        <translation>El cambio no se guardó</translation>
    </message>
    <message>
        <source>Move {tracks}</source>
        <translation>Mover {tracks}</translation>
    </message>
    <message>
        <source>Shuffle</source>
        <translation>Mezclar</translation>
    </message>
    <message>
        <source>Sort: {how}</source>
        <translation>Ordenar: {how}</translation>
    </message>
    <message>
        <source>This station already has a playlist named “{name}”; choose another name.</source>
        <translation>Esta emisora ya tiene una lista llamada «{name}»; elija otro nombre.</translation>
    </message>
    <message>
        <source>Could not read the schedule</source>
        <translation>No se pudo leer la programación</translation>
    </message>
    <message>
        <source>Delete the playlist “{name}” and its {tracks}?</source>
        <translation>¿Borrar la lista «{name}» y sus {tracks}?</translation>
    </message>
    <message>
        <source>It is also taken off the schedule (1 block).</source>
        <translation>También se quita de la programación (1 bloque).</translation>
    </message>
    <message>
        <source>It is also taken off the schedule ({count} blocks).</source>
        <translation>También se quita de la programación ({count} bloques).</translation>
    </message>
    <message>
        <source>It is the station&apos;s main playlist: AutoDJ will have no main playlist until you choose another.</source>
        <translation>Es la lista principal de la emisora: AutoDJ no tendrá lista principal hasta que elija otra.</translation>
    </message>
    <message>
        <source>This cannot be undone.</source>
        <translation>Esto no se puede deshacer.</translation>
    </message>
    <message>
        <source>Delete playlist</source>
        <translation>Borrar la lista</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Borrar</translation>
    </message>
</context>
<context>
    <name>ScheduleCommands</name>
    <message>
        <source>The schedule block was deleted by someone else since; nothing was changed.</source>
        <translation>Otra persona ha borrado el bloque de programación desde entonces; no se cambió nada.</translation>
    </message>
    <message>
        <source>The schedule block was changed by someone else since ({now}); nothing was changed.</source>
        <translation>Otra persona ha cambiado el bloque de programación desde entonces ({now}); no se cambió nada.</translation>
    </message>
    <message>
        <source>Create block</source>
        <translation>Crear bloque</translation>
    </message>
    <message>
        <source>Delete block</source>
        <translation>Borrar bloque</translation>
    </message>
</context>
<context>
    <name>SchedulePage</name>
    <message>
        <source>The playlist a block drawn on the grid plays; “Ask each time” opens a dialog instead.</source>
        <translation>La lista que pone un bloque dibujado en la parrilla; «Preguntar cada vez» abre un diálogo en su lugar.</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Editar…</translation>
    </message>
    <message>
        <source>Edit the selected block (or double-click it)</source>
        <translation>Editar el bloque seleccionado (o hacer doble clic en él)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Borrar</translation>
    </message>
    <message>
        <source>Delete the selected block (Delete)</source>
        <translation>Borrar el bloque seleccionado (Supr)</translation>
    </message>
    <message>
        <source>New blocks play:</source>
        <translation>Los bloques nuevos ponen:</translation>
    </message>
    <message>
        <source>Weekly schedule</source>
        <translation>Programación semanal</translation>
    </message>
    <message>
        <source>No database is open.</source>
        <translation>No hay ninguna base de datos abierta.</translation>
    </message>
    <message>
        <source>No station is selected.</source>
        <translation>No hay ninguna emisora seleccionada.</translation>
    </message>
    <message>
        <source>The undo history was cleared.</source>
        <translation>Se ha vaciado el historial para deshacer.</translation>
    </message>
    <message>
        <source>The station&apos;s time zone {zone} is not known here; the grid shows UTC. Set a time zone such as Europe/Madrid in the station&apos;s settings.</source>
        <translation>La zona horaria de la emisora, {zone}, no se conoce en este equipo; la parrilla muestra UTC. Ponga una zona horaria como Europe/Madrid en los ajustes de la emisora.</translation>
    </message>
    <message>
        <source>Times in {zone}</source>
        <translation>Horas en {zone}</translation>
    </message>
    <message>
        <source>Ask each time</source>
        <translation>Preguntar cada vez</translation>
    </message>
    <message>
        <source>(until {day})</source>
        <translation>(hasta el {day})</translation>
    </message>
    <message>
        <source>Switched off: does not play.</source>
        <translation>Desactivado: no suena.</translation>
    </message>
    <message>
        <source>{count} stored block(s) cannot be shown on the grid: {problem}</source>
        <translation>No se pueden mostrar en la parrilla {count} bloques guardados: {problem}</translation>
    </message>
    <message>
        <source>Daylight saving time: on {date} the clocks in {zone} jump from {start} to {end}.</source>
        <translation>Horario de verano: el {date} los relojes de {zone} saltan de las {start} a las {end}.</translation>
    </message>
    <message>
        <source>This block lies inside the skipped time and does not play that night.</source>
        <translation>Este bloque cae dentro de la hora que se salta y esa noche no suena.</translation>
    </message>
    <message>
        <source>This block is {minutes} minutes shorter that night.</source>
        <translation>Esa noche este bloque dura {minutes} minutos menos.</translation>
    </message>
    <message>
        <source>Not saved: {when} would overlap “{name}” on {other}. Move or shorten one of them, or switch the other block off first.</source>
        <translation>No se ha guardado: {when} se solaparía con «{name}» el {other}. Mueva o acorte uno de los dos, o desactive antes el otro bloque.</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>No se ha guardado: {reason}</translation>
    </message>
    <message>
        <source>Edit block</source>
        <translation>Editar el bloque</translation>
    </message>
    <message>
        <source>Create a playlist first: a block plays a playlist.</source>
        <translation>Cree antes una lista: un bloque pone una lista de reproducción.</translation>
    </message>
    <message>
        <source>Move block</source>
        <translation>Mover el bloque</translation>
    </message>
    <message>
        <source>Resize block</source>
        <translation>Cambiar la duración del bloque</translation>
    </message>
</context>
<context>
    <name>ServersPage</name>
    <message>
        <source>Servers</source>
        <translation>Servidores</translation>
    </message>
    <message>
        <source>The streaming servers (Icecast + Liquidsoap). Adding servers and pushing their configuration arrives in a later version.</source>
        <translation>Los servidores de emisión (Icecast + Liquidsoap). Añadir servidores y enviarles su configuración llegará en una versión posterior.</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Región</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>Emisoras</translation>
    </message>
    <message>
        <source>{load} of {capacity}</source>
        <translation>{load} de {capacity}</translation>
    </message>
    <message>
        <source>This database has no streaming servers yet.</source>
        <translation>Esta base de datos aún no tiene servidores de emisión.</translation>
    </message>
</context>
<context>
    <name>StationPage</name>
    <message>
        <source>Not connected to a database.</source>
        <translation>Sin conexión a ninguna base de datos.</translation>
    </message>
    <message>
        <source>No station to show. Choose one in the station switcher at the top of the window; if it is empty, this database has no stations yet.</source>
        <translation>No hay ninguna emisora que mostrar. Elija una en el selector de emisoras, arriba en la ventana; si está vacío, esta base de datos aún no tiene emisoras.</translation>
    </message>
</context>
<context>
    <name>StationsPage</name>
    <message>
        <source>Stations</source>
        <translation>Emisoras</translation>
    </message>
    <message>
        <source>Every station in this database. Creating stations and assigning them to servers arrives in a later version.</source>
        <translation>Todas las emisoras de esta base de datos. Crear emisoras y asignarles servidor llegará en una versión posterior.</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Emisora</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>(unassigned)</source>
        <translation>(sin asignar)</translation>
    </message>
    <message>
        <source>Mountpoint</source>
        <translation>Punto de montaje</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zona horaria</translation>
    </message>
    <message>
        <source>Quota</source>
        <translation>Cuota</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>This database has no stations yet.</source>
        <translation>Esta base de datos aún no tiene emisoras.</translation>
    </message>
</context>
<context>
    <name>StatisticsPage</name>
    <message>
        <source>Statistics</source>
        <translation>Estadísticas</translation>
    </message>
    <message>
        <source>The latest sample stationd took from Icecast, and the last 24 hours. Charts, longer ranges and exports arrive in a later version.</source>
        <translation>La última muestra que stationd tomó de Icecast y las últimas 24 horas. Los gráficos, los periodos más largos y la exportación llegarán en una versión posterior.</translation>
    </message>
    <message>
        <source>Sampled at</source>
        <translation>Tomada el</translation>
    </message>
    <message>
        <source>Listeners</source>
        <translation>Oyentes</translation>
    </message>
    <message>
        <source>Peak</source>
        <translation>Pico</translation>
    </message>
    <message>
        <source>By bitrate</source>
        <translation>Por tasa de bits</translation>
    </message>
    <message>
        <source>Playing</source>
        <translation>Sonando</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>Emisión</translation>
    </message>
    <message>
        <source>Hour</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>Media</translation>
    </message>
    <message>
        <source>Most</source>
        <translation>Máximo</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Muestras</translation>
    </message>
    <message>
        <source>Listeners, last 24 hours</source>
        <translation>Oyentes, últimas 24 horas</translation>
    </message>
    <message>
        <source>No statistics yet: stationd records them once the station is on air.</source>
        <translation>Aún no hay estadísticas: stationd las registra cuando la emisora está en antena.</translation>
    </message>
    <message>
        <source>{bitrate}: {count}</source>
        <translation>{bitrate}: {count}</translation>
    </message>
</context>
<context>
    <name>StreamSettingsPage</name>
    <message>
        <source>Stream settings</source>
        <translation>Ajustes de emisión</translation>
    </message>
    <message>
        <source>The current values, read-only for now: editing them (and pushing them to Liquidsoap) arrives in a later version.</source>
        <translation>Los valores actuales, por ahora de solo lectura: editarlos (y enviarlos a Liquidsoap) llegará en una versión posterior.</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>Mountpoint</source>
        <translation>Punto de montaje</translation>
    </message>
    <message>
        <source>Bitrates</source>
        <translation>Tasas de bits</translation>
    </message>
    <message>
        <source>Listener limit</source>
        <translation>Límite de oyentes</translation>
    </message>
    <message>
        <source>AutoDJ</source>
        <translation>AutoDJ</translation>
    </message>
    <message>
        <source>Playback order</source>
        <translation>Orden de reproducción</translation>
    </message>
    <message>
        <source>Crossfade</source>
        <translation>Fundido</translation>
    </message>
    <message>
        <source>Loudness normalisation</source>
        <translation>Normalización de sonoridad</translation>
    </message>
    <message>
        <source>Jingles</source>
        <translation>Cuñas</translation>
    </message>
    <message>
        <source>Live input</source>
        <translation>Entrada en directo</translation>
    </message>
    <message>
        <source>Live input port</source>
        <translation>Puerto de entrada en directo</translation>
    </message>
    <message>
        <source>Control port</source>
        <translation>Puerto de control</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>{station} is not assigned to a streaming server yet, so it has no stream settings.</source>
        <translation>{station} aún no tiene servidor de emisión asignado, así que no tiene ajustes de emisión.</translation>
    </message>
    <message>
        <source>on</source>
        <translation>activado</translation>
    </message>
    <message>
        <source>off</source>
        <translation>desactivado</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} s</translation>
    </message>
    <message>
        <source>on, to {level} LUFS</source>
        <translation>activada, a {level} LUFS</translation>
    </message>
    <message>
        <source>one every {count} songs</source>
        <translation>una cada {count} canciones</translation>
    </message>
</context>
<context>
    <name>TrackPickerDialog</name>
    <message>
        <source>Add tracks</source>
        <translation>Añadir pistas</translation>
    </message>
    <message>
        <source>Search title, artist, album, genre or file name</source>
        <translation>Buscar por título, artista, álbum, género o nombre de archivo</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Título</translation>
    </message>
    <message>
        <source>Artist</source>
        <translation>Artista</translation>
    </message>
    <message>
        <source>Album</source>
        <translation>Álbum</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Añadir</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Buscando…</translation>
    </message>
    <message>
        <source>Showing {shown} of {total} tracks; refine the search to see the others.</source>
        <translation>Se muestran {shown} de {total} pistas; afine la búsqueda para ver las demás.</translation>
    </message>
</context>
<context>
    <name>UndoActions</name>
    <message>
        <source>&amp;Undo {what}</source>
        <translation>&amp;Deshacer {what}</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Deshacer</translation>
    </message>
    <message>
        <source>&amp;Redo {what}</source>
        <translation>&amp;Rehacer {what}</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rehacer</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Deshacer</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Rehacer</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Something went wrong. The details are in the log file:
{path}</source>
        <translation>Algo ha fallado. Los detalles están en el archivo de registro:
{path}</translation>
    </message>
</context>
</TS>
