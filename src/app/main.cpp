#include <hyperplume/app/app.hpp>

int main(int argc, char** argv) { return hyperplume::app::run(argc, argv); }
