#pragma once
// A geographic lookup table from per-pixel geolocation: how a sensor that ships lat/lon
// arrays (PRISMA) or whose lat/lon come from RPCs over a DEM (EnMAP) reaches the one
// orthorectification path EMIT's GLT already takes. Pure compute.
#include <hyperplume/core/raster.hpp>
#include <hyperplume/core/scene.hpp>

namespace hyperplume::geo {

// A north-up EPSG:4326 grid of `cell_deg` cells over the pixel centres (plus half a cell),
// each cell naming (1-based, as EMIT's GLT) the sensor pixel whose footprint holds the
// cell centre: the pixel nearest it, or, for a cell no pixel centre falls in, the
// neighbouring pixel whose parallelogram footprint (spanned by half the steps to its row
// and column neighbours) contains the centre; 0 where none does (outside the swath).
// Pixels with non-finite lat/lon are never named. crs_wkt is left empty for the caller.
Glt glt_from_geolocation(const Raster<double>& lat, const Raster<double>& lon, double cell_deg);

}  // namespace hyperplume::geo
